"""Acceptance of the decision inbox on a phone, in Japanese.

The primary decision maker is away; an ACTIVATE_CYBER_BCP decision opens and goes to the
deputy. The deputy logs in, sees the countdown and the facts, approves a partial activation
with a rationale; the decision page, the incident's BCP panel and its timeline show it.
"""

import math
import re
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from bcp.models import Decision
from bcp.services import decisions
from tests.bcp.conftest import absent  # noqa: F401
from tests.browser.conftest import SCREENSHOTS, _page, log_in, shoot
from tests.incidents.conftest import file_report, incident  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IPHONE = {"width": 390, "height": 844}
REASON = "感染端末が2台目（PC-31）。外部へのC2通信の疑いあり。"
RATIONALE = "社長不在のため代理で判断。営業部のネットワークを切り離し、手作業で受注を続ける。"


@pytest.fixture
def iphone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A 390×844 phone in Japanese."""
    yield from _page(browser, live_server, IPHONE)


def _minutes_left(decision: Decision) -> re.Pattern[str]:
    """What the countdown may show, however long the machine took to get here: its 30 minutes
    at most, and at least what is left now less the minute the expect() may tick through."""
    left_now = math.ceil((decision.due_at - timezone.now()).total_seconds() / 60)
    return re.compile(rf"^残り ({'|'.join(str(m) for m in range(left_now - 1, 31))})分$")


@pytest.fixture
def bcp_decision(incident, decision_maker, deputy, absent):  # noqa: F811
    absent(decision_maker)
    decision = decisions.decision_open(
        incident=incident, decision_type="ACTIVATE_CYBER_BCP", reason=REASON
    )
    assert decision.assignee == deputy
    return decision


def test_the_deputy_approves_the_cyber_bcp_from_the_inbox(iphone, bcp_decision, deputy):
    ref = bcp_decision.incident.ref
    log_in(iphone, "deputy")
    home_tile = iphone.locator("#tile-my-decisions")
    expect(home_tile).to_contain_text("サイバー攻撃対応BCPを発動する")
    expect(iphone.locator(".site-nav")).to_be_hidden()
    iphone.get_by_role("button", name="メニュー").click()
    iphone.locator(".site-nav").get_by_role("link", name="判断待ち").click()

    expect(iphone.get_by_role("heading", name="あなたの判断待ち")).to_be_visible()
    card = iphone.locator(".decision-card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading", name="サイバー攻撃対応BCPを発動する")).to_be_visible()
    expect(card.locator(".countdown")).to_have_text(_minutes_left(bcp_decision))
    expect(card).to_contain_text(ref)
    expect(card).to_contain_text("感染端末（疑いを含む）：1台")
    expect(card).to_contain_text("隔離済み：1台")
    expect(card).to_contain_text("外部への不正な通信：なし")
    expect(card).to_contain_text(REASON)
    expect(card).to_contain_text("あなたの担当です。")
    shoot(iphone, "decision-1-inbox")

    card.get_by_role("link", name="開いて判断する").click()
    expect(iphone.get_by_role("heading", name="あなたの判断")).to_be_visible()
    expect(iphone.locator(".countdown")).to_have_text(_minutes_left(bcp_decision))
    iphone.get_by_label("判断理由").fill(RATIONALE)
    iphone.get_by_label("部分").check()
    shoot(iphone, "decision-2-form")
    iphone.get_by_role("button", name="承認").click()

    expect(iphone.locator(".messages")).to_contain_text("判断を記録しました：承認")
    expect(iphone.locator("#bcp-state")).to_have_text("発動中（部分）")
    expect(iphone.locator("#outcome")).to_contain_text(RATIONALE)
    expect(iphone.locator("#outcome")).to_contain_text("上位者の追認待ち")
    expect(iphone.locator("#outcome")).to_contain_text("判断時の状況")
    shoot(iphone, "decision-3-decided")

    iphone.get_by_role("link", name=ref).click()
    panel = iphone.locator("#bcp")
    expect(panel.locator(".bcp-state")).to_have_text("発動中（部分）")
    expect(panel).to_contain_text("縮退運転・手作業への移行")
    timeline = iphone.locator("#timeline")
    expect(timeline).to_contain_text(RATIONALE)
    expect(timeline).to_contain_text("「判断待ち」から「発動中（部分）」になりました")  # in words
    shoot(iphone, "decision-4-incident")
    panel.screenshot(path=str(SCREENSHOTS / "decision-5-incident-bcp.png"))
    timeline.screenshot(path=str(SCREENSHOTS / "decision-6-incident-timeline.png"))

    decided = Decision.objects.get(pk=bcp_decision.pk)
    assert (decided.outcome, decided.outcome_scope, decided.decided_by) == (
        "APPROVED",
        "PARTIAL",
        deputy,
    )
    assert decided.requires_ratification
    assert decided.fact_snapshot["infected_effective_count"] == 1
