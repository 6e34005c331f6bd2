"""Issue 7's four journeys in Japanese, on a 1366×768 desktop and a 390×844 phone.

(a) a responder reports in one tap; (b) the ISMS office triages it, marks a second PC infected
and sees the level-2 recommendation and the trend move; (c) the deputy (the president is away)
approves the cyber BCP from the phone inbox and acknowledges the alert; (d) the dashboard shows
the level, the BCP state and no alert left unacknowledged. No console error, no CSP violation.
"""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from bcp.models import BcpActivation
from incidents.models import Incident
from notifications.models import Alert
from tests.bcp.conftest import absent  # noqa: F401
from tests.browser.conftest import _page, log_in, shoot, submit
from tests.browser.test_intake_journey import _fill_mail, _go_through_first_aid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def _watch(page: Page) -> list[str]:
    """Console errors and uncaught exceptions (a CSP violation is a console error)."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


@pytest.fixture(params=sorted(VIEWPORTS))
def screen(request, browser: Browser, live_server: LiveServer) -> Iterator[tuple[str, Page]]:
    for page in _page(browser, live_server, VIEWPORTS[request.param]):
        page._problems = _watch(page)  # type: ignore[attr-defined]
        yield request.param, page


def _log_out(page: Page) -> None:
    page.context.clear_cookies()


def test_report_triage_escalate_decide_and_see_it_on_the_dashboard(
    screen,
    organisation,
    reporter,
    isms_office,
    decision_maker,
    deputy,
    csirt_lead,
    absent,  # noqa: F811
):
    name, page = screen
    absent(decision_maker)

    # (a) one tap, first aid, the short form
    log_in(page, "reporter")
    page.goto("/report/")
    _go_through_first_aid(page, f"j-{name}-a")
    _fill_mail(page)
    page.get_by_role("button", name="詳細を送信する").click()
    expect(page.get_by_role("heading", name="報告を受け付けました")).to_be_visible()
    shoot(page, f"j-{name}-a-done")
    _log_out(page)

    # (b) triage, declare, a second PC infected → level 2 recommended, the trend moves
    log_in(page, "isms")
    page.goto("/triage/")
    page.locator(".queue-item").first.get_by_role("link").first.click()
    page.get_by_role("button", name="インシデントを宣言する").click()
    page.wait_for_url(re.compile(r"/incidents/INC-[\d-]+/$"))  # declared: read it only then
    incident = Incident.objects.get()
    assert page.url.endswith(f"/incidents/{incident.ref}/")
    page.locator("#escalation details summary", has_text="判明した内容を記録する").click()
    page.fill("#finding_asset_tag", "PC-0456")
    page.locator("#escalation form button.primary").click()
    expect(page.locator(".messages")).to_contain_text("レベル2")
    expect(page.locator(".messages")).to_contain_text("[L2-a]")
    expect(page.locator("#escalation")).to_contain_text("感染の推移")
    trend = page.locator("#escalation table tbody tr").first
    expect(trend.locator("td").nth(1)).to_have_text("2")
    shoot(page, f"j-{name}-b-recommended")
    _log_out(page)

    # (c) the deputy decides on the phone inbox and acknowledges the alert
    log_in(page, "deputy")
    page.goto("/decisions/")
    card = page.locator(".decision-card", has_text="サイバー攻撃対応BCPを発動する")
    card.get_by_role("link", name="開いて判断する").click()
    page.get_by_label("判断理由").fill("社長不在のため代理で判断。営業部のみ切り離す。")
    page.get_by_label("部分").check()
    page.get_by_role("button", name="承認").click()
    expect(page.locator("#bcp-state")).to_have_text("発動中（部分）")
    shoot(page, f"j-{name}-c-decided")
    page.goto("/notifications/")
    acknowledge = page.get_by_role("button", name="確認しました")
    while acknowledge.count():  # read on a fully loaded page: the navigation was awaited
        submit(acknowledge.first)
    shoot(page, f"j-{name}-c-acknowledged")
    _log_out(page)
    assert BcpActivation.objects.get(incident=incident).state == "ACTIVATED_PARTIAL"
    assert not Alert.objects.filter(
        notifications__recipient=deputy,
        needs_ack=True,
        acknowledged_at__isnull=True,
        resolved_at__isnull=True,
    ).exists()

    # (d) the dashboard
    log_in(page, "isms")
    page.goto("/")
    main = page.locator("main")
    expect(main).to_contain_text("レベル1")
    expect(main).to_contain_text("発動中（部分）")
    shoot(page, f"j-{name}-d-dashboard")
    assert page._problems == []  # type: ignore[attr-defined]
