"""The incident report's print page, the emergency kit and the QR poster in Japanese at
390×844 and 1366×768: no horizontal scroll, no console error (the CSP holds), and the
screenshots to look at."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from records import services
from tests.browser.conftest import SCREENSHOTS, _page, log_in, shoot
from tests.incidents.conftest import file_report, incident  # noqa: F401
from tests.records.conftest import level3  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def _watch(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


@pytest.fixture(params=sorted(VIEWPORTS))
def screen(request, browser: Browser, live_server: LiveServer) -> Iterator[tuple[str, Page]]:
    for page in _page(browser, live_server, VIEWPORTS[request.param]):
        page._problems = _watch(page)  # type: ignore[attr-defined]
        yield request.param, page


def _fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_report_print_page_fits_and_reads_in_japanese(screen, handler, level3):  # noqa: F811
    name, page = screen
    log_in(page, handler.username)
    page.goto(f"/incidents/{level3.ref}/")
    link = page.get_by_role("link", name="報告書（印刷・PDF）")
    link.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"records-room-{name}.png"))
    link.click()
    page.wait_for_url(f"**/incidents/{level3.ref}/report/")
    assert page.locator("h2", has_text="タイムラインの検証").count() == 1
    assert _fits(page)
    shoot(page, f"records-report-{name}")
    assert page._problems == []  # type: ignore[attr-defined]


def test_the_kit_and_the_poster_fit_and_read_in_japanese(screen, organisation, isms_office):
    name, page = screen
    services.kit_regenerate(organisation=organisation, reason="on_demand")
    log_in(page, isms_office.username)
    page.goto("/emergency-kit/")
    assert page.locator("h1", has_text="緊急時キット").count() == 1
    assert _fits(page)
    shoot(page, f"records-kit-{name}")
    page.goto("/emergency-kit/poster/")
    assert _fits(page)
    shoot(page, f"records-poster-{name}")
    assert page._problems == []  # type: ignore[attr-defined]
