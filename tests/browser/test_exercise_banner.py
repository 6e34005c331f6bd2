"""Issue 18 item 2 in a browser: an exercise incident's room and the decision inbox, on a phone
and on a desktop, in Japanese — the 「訓練」 banner and the page colour, and the inbox's
exercise decisions under their own heading."""

import pytest
from playwright.sync_api import Browser, Page, expect

from bcp.services import decisions
from incidents.models import Incident
from tests.browser.conftest import _page, log_in, shoot
from tests.incidents.conftest import file_report, incident  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def drill(incident, decision_maker):  # noqa: F811
    Incident.objects.filter(pk=incident.pk).update(is_exercise=True)
    decisions.decision_open(
        incident=incident, decision_type="ACTIVATE_CYBER_BCP", reason="訓練の判断"
    )
    incident.refresh_from_db()
    return incident


@pytest.mark.parametrize("width,name", [(390, "phone"), (1366, "desktop")])
def test_an_exercise_incident_and_its_decision_are_marked_as_an_exercise(
    browser: Browser, live_server, drill, width, name
):
    for page in _page(browser, live_server, {"width": width, "height": 844}):
        _check(page, drill, name)


def _check(page: Page, drill: Incident, name: str) -> None:
    log_in(page, "president")
    page.goto(f"/incidents/{drill.ref}/")
    expect(page.locator(".exercise-banner")).to_contain_text("訓練")
    expect(page.locator("body")).to_have_class("is-exercise")
    shoot(page, f"exercise-room-{name}")
    page.goto("/decisions/")
    expect(page.locator("#exercise-decisions")).to_contain_text("訓練")
    expect(page.locator(".exercise-section")).to_contain_text("サイバー攻撃対応BCPを発動する")
    shoot(page, f"exercise-inbox-{name}")
