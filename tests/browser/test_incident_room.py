"""The incident room you can find your way in (issue 15) and the one incident list, in Japanese:
at 390×844 a sticky index of the sections and no horizontal scroll; at 1366×768 two columns, the
summary (level, status, BCP, decisions, the next step) in view while the sections scroll; the
timeline paged 50 at a time with links that come back to it."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from incidents.services import tasks
from tests.browser.conftest import SCREENSHOTS, _page, log_in, shoot
from tests.incidents.conftest import file_report, incident  # noqa: F401

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


def _view(page: Page, name: str) -> None:
    """What is on the screen (not the whole page): the sticky parts show where they stay."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def test_the_room_keeps_its_summary_or_index_in_view_and_pages_the_timeline(
    screen,
    incident,  # noqa: F811 - the imported fixture
    isms_office,
    handler,
):
    size, page = screen
    for i in range(60):
        tasks.task_create(incident=incident, actor=handler, title=f"作業 {i}")
    total = incident.timeline.count()
    log_in(page, "isms")
    page.goto(f"/incidents/{incident.ref}/")
    summary, index = page.locator(".room-summary"), page.locator(".room-index")
    expect(summary.locator(".incident-ref")).to_have_text(incident.ref)
    expect(summary.locator("#room-live")).to_contain_text("サイバー攻撃対応BCP")
    expect(summary.locator("#room-next")).to_contain_text("次のステップ")
    _no_horizontal_scroll(page)
    shoot(page, f"room-{size}")
    _view(page, f"room-{size}-top")

    index.get_by_role("link", name="タイムライン").click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#timeline")
    timeline = page.locator("#timeline")
    expect(timeline).to_be_in_viewport()
    if size == "desktop":
        # Two columns: the summary beside the sections, still in view down at the timeline.
        assert summary.bounding_box()["x"] < timeline.bounding_box()["x"]
        expect(summary.locator("#room-live")).to_be_in_viewport()
    else:
        # The index sticks to the top of the screen.
        assert abs(index.bounding_box()["y"]) < 2
    _no_horizontal_scroll(page)
    _view(page, f"room-{size}-timeline")

    timeline.get_by_role("link", name="古い記録").click()
    page.wait_for_url("**?tl=*#timeline")
    expect(timeline.locator("ol.timeline > li").first).to_have_attribute("value", str(total - 50))
    expect(timeline).to_be_in_viewport()
    timeline.get_by_role("link", name="最新の記録").click()
    expect(timeline.locator("ol.timeline > li").first).to_have_attribute("value", str(total))
    assert page._problems == []  # type: ignore[attr-defined]


def test_the_one_incident_list_filters_and_searches_by_sender(
    screen,
    incident,  # noqa: F811 - the imported fixture
    isms_office,
    live_server,
):
    size, page = screen
    log_in(page, "isms")
    page.goto("/incidents/")
    expect(page).to_have_url(f"{live_server.url}/dashboard/incidents/?status=open")
    page.fill("#id_q", "keiri@evil.example")
    page.locator(".list-filter button[type=submit]").click()
    rows = page.locator("#incident-rows tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(incident.ref)
    _no_horizontal_scroll(page)
    shoot(page, f"incident-list-{size}")
    _view(page, f"incident-list-{size}-top")
    assert page._problems == []  # type: ignore[attr-defined]
