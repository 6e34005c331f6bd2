"""The suggested indicators in the room and the TLP page in Japanese at 390×844 and 1366×768:
the suggestions read defanged, accept and reject work by hand, no horizontal scroll, no console
error; the screenshots to look at."""

from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from incidents.services import intake, triage
from incidents.services.intake import ReportInput
from sharing import suggestions
from sharing.models import IndicatorSuggestion, SuggestionStatus
from tests.browser.conftest import SCREENSHOTS, _page, log_in, shoot, submit
from tests.browser.test_records import _watch
from tests.sharing.test_extraction import EML

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=sorted(VIEWPORTS))
def screen(request, browser: Browser, live_server: LiveServer) -> Iterator[tuple[str, Page]]:
    for page in _page(browser, live_server, VIEWPORTS[request.param]):
        page._problems = _watch(page)  # type: ignore[attr-defined]
        yield request.param, page


def _fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def mailed(organisation, reporter, isms_office):
    report = intake.report_submit(
        organisation=organisation,
        actor=reporter,
        data=ReportInput(
            what_happened="OPENED_ATTACHMENT",
            description="Go to hxxp://stage[.]evil[.]example[.]com/a",
        ),
        eml=SimpleUploadedFile("mail.eml", EML, content_type="message/rfc822"),
    )
    incident = triage.event_promote(event=report.event, actor=isms_office)
    suggestions.suggestions_extract(incident=incident, actor=isms_office)
    return incident


def test_suggestions_read_defanged_and_a_person_accepts_and_rejects(screen, isms_office, mailed):
    name, page = screen
    log_in(page, isms_office.username)
    page.goto(f"/incidents/{mailed.ref}/#suggestions")
    card = page.locator("#sharing")
    assert "hxxp://stage[.]evil[.]example[.]com/a" in card.inner_text()
    card.locator("h3#suggestions").scroll_into_view_if_needed()
    assert _fits(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"sharing-suggestions-{name}.png"))
    submit(card.get_by_role("button", name="却下").first)
    submit(page.locator("#sharing").get_by_role("button", name="採用").first)
    statuses = set(
        IndicatorSuggestion.objects.filter(incident=mailed).values_list("status", flat=True)
    )
    assert {SuggestionStatus.ACCEPTED, SuggestionStatus.REJECTED} <= statuses
    page.goto(f"/incidents/{mailed.ref}/indicators/tlp/")
    assert page.locator("h1", has_text="IoCのTLP").count() == 1
    assert _fits(page)
    shoot(page, f"sharing-tlp-{name}")
    assert page._problems == []  # type: ignore[attr-defined]
