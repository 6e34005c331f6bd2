"""Issue 14's journeys in Japanese, on a 1366×768 desktop and a 390×844 phone: the ISMS office
writes the review with one corrective action, sees the close checklist turn green and closes;
the CSIRT lead opens a BCP stand-down decision and the decision maker approves it from the phone
inbox. No console error, no CSP violation."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from bcp.models import BcpActivation
from bcp.services import decisions
from incidents.models import AffectedAsset, Incident
from isms.models import CorrectiveAction, PostIncidentReview
from tests.browser.conftest import _page, log_in, shoot, submit
from tests.incidents.conftest import PHISH, file_report, incident  # noqa: F401

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


def test_the_office_writes_the_review_and_an_action_sees_the_checklist_turn_green_and_closes(
    screen,
    incident,  # noqa: F811 - the imported fixture
    isms_office,
    handler,
):
    name, page = screen
    AffectedAsset.objects.filter(incident=incident).update(remediation_state="RESTORED")
    Incident.objects.filter(pk=incident.pk).update(status="REVIEWING", peak_level=2)

    log_in(page, "isms")
    page.goto(f"/incidents/{incident.ref}/close/")
    checklist = page.locator("#close-checklist")
    expect(checklist.locator("li.unmet")).to_have_count(2)  # the review, M-1's action
    expect(page.get_by_role("button", name="インシデントを終了する")).to_be_disabled()
    shoot(page, f"closure-{name}-a-checklist-red")

    checklist.locator('li[data-code="C1-REVIEW"]').get_by_role("link", name="対応する").click()
    page.wait_for_url(f"**/incidents/{incident.ref}/review/")
    page.fill("#review_root_cause", "請求書を装ったメールの添付ファイル（マクロ付き）を実行した。")
    page.fill("#review_what_worked", "LANケーブルを5分以内に抜けた。")
    page.fill("#review_what_did_not", "プロキシでのC2ドメインのブロックが翌日になった。")
    page.fill("#review_lessons", "マクロを既定で無効にする\n不審メールの報告訓練を年2回にする")
    picker = page.locator("#review .controls-picker")
    picker.locator("> summary").click()
    expect(picker).to_have_attribute("open", "")
    picker.locator('input[name="controls"][value="8.7"]').check()
    page.get_by_role("button", name="事後レビューを保存する").click()
    expect(page.locator(".messages")).to_contain_text("事後レビューを保存しました")

    page.locator("#action-add > summary").click()
    page.fill("#ca_title", "Officeマクロの既定無効化（全社PC）")
    page.select_option("#ca_owner", str(handler.pk))
    page.fill("#ca_due_on", "2031-03-31")
    page.locator('#action-add input[name="controls"][value="8.7"]').check()
    page.fill("#ca_risk_reference", "R-012 標的型メールによるマルウェア感染")
    page.get_by_role("button", name="是正処置を追加する", exact=True).last.click()
    expect(page.locator("#actions")).to_contain_text("Officeマクロの既定無効化")
    shoot(page, f"closure-{name}-b-review")

    page.goto(f"/incidents/{incident.ref}/close/")
    expect(checklist.locator("li.unmet")).to_have_count(0)
    expect(checklist.locator("li.met")).to_have_count(7)
    page.fill("#close_waive_reason", "チェックリストの残りは本件では不要（全社周知は実施済み）")
    shoot(page, f"closure-{name}-c-checklist-green")
    page.get_by_role("button", name="インシデントを終了する").click()
    expect(page.locator(".messages")).to_contain_text("インシデントを終了しました")
    shoot(page, f"closure-{name}-d-closed")

    incident.refresh_from_db()
    assert incident.status == "CLOSED"
    assert PostIncidentReview.objects.get(incident=incident).management_review_input is True
    assert CorrectiveAction.objects.get().owner == handler
    assert not incident.tasks.filter(status="OPEN").exists()
    assert page._problems == []  # type: ignore[attr-defined]


def test_the_lead_opens_a_stand_down_and_the_decision_maker_approves_it_on_the_phone(
    browser,
    live_server,
    incident,  # noqa: F811 - the imported fixture
    csirt_lead,
    decision_maker,
):
    cut = decisions.decision_open(incident=incident, decision_type="CUT_ALL_EXTERNAL_NETWORK")
    decisions.decision_decide(
        decision=cut, actor=decision_maker, outcome="APPROVED", rationale="C2通信を確認"
    )
    Incident.objects.filter(pk=incident.pk).update(status="RECOVERING")

    for desk in _page(browser, live_server, VIEWPORTS["desktop"]):
        problems = _watch(desk)
        log_in(desk, "csirt")
        desk.goto(f"/incidents/{incident.ref}/")
        expect(desk.locator("#stand-down-conditions li.met")).to_have_count(1)
        desk.locator("#decision-open > summary").click()
        desk.select_option("#open_type", "BCP_STAND_DOWN")
        desk.select_option("#open_recommendation", "APPROVE")
        desk.fill("#open_reason", "全端末の再イメージ化を完了。外部接続を再開したい。")
        desk.get_by_role("button", name="判断を依頼する", exact=True).click()
        expect(desk.locator("h1")).to_contain_text("サイバー攻撃対応BCPを解除する")
        shoot(desk, "closure-desktop-e-stand-down-requested")
        assert problems == []

    for phone in _page(browser, live_server, VIEWPORTS["phone"]):
        problems = _watch(phone)
        log_in(phone, "president")
        phone.goto("/decisions/")
        card = phone.locator(".decision-card", has_text="サイバー攻撃対応BCPを解除する")
        shoot(phone, "closure-phone-f-inbox")
        card.get_by_role("link", name="開いて判断する").click()
        phone.get_by_label("判断理由").fill("復旧を確認した。全社の外部通信を再開する。")
        phone.get_by_role("button", name="承認").click()
        expect(phone.locator("#bcp-state")).to_have_text("解除済み")
        shoot(phone, "closure-phone-g-stood-down")
        assert problems == []

    assert BcpActivation.objects.get(incident=incident).state == "STOOD_DOWN"


def _move(page: Page, target: str) -> None:
    # Waited for as a navigation: the previous page may show a message too.
    submit(page.locator(f'#lifecycle form:has(input[value="{target}"]) button'))
    expect(page.locator(".messages")).to_be_visible()


def _decide_in_browser(page: Page, type_label: str) -> None:
    page.goto("/decisions/")
    card = page.locator(".decision-card", has_text=type_label)
    card.get_by_role("link", name="開いて判断する").click()
    page.get_by_label("判断理由").fill("状況を確認した。")
    page.get_by_role("button", name="承認").click()
    expect(page.locator("#outcome")).to_contain_text("承認")


def _request(page: Page, ref: str, decision_type: str) -> None:
    page.goto(f"/incidents/{ref}/")
    page.locator("#decision-open > summary").click()
    page.select_option("#open_type", decision_type)
    page.select_option("#open_recommendation", "APPROVE")
    page.fill("#open_reason", "現場からの報告による。")
    page.get_by_role("button", name="判断を依頼する", exact=True).click()
    page.wait_for_url("**/decisions/*/")


def test_an_incident_goes_from_containment_through_a_full_bcp_and_recovery_to_closed(
    browser,
    live_server,
    incident,  # noqa: F811 - the imported fixture
    csirt_lead,
    decision_maker,
    isms_office,
):
    """Issue 14's acceptance, entirely in the browser: containment, a company-wide cut-off
    (full BCP), remediation and recovery, the stand-down, the review, the close; the timeline
    shows every edit with its old and new value."""
    for page in _page(browser, live_server, VIEWPORTS["desktop"]):
        problems = _watch(page)
        room = f"/incidents/{incident.ref}/"
        log_in(page, "csirt")
        page.goto(room)
        _move(page, "CONTAINING")
        page.locator("#case > summary").click()
        page.select_option("#case_priority", "P1")
        page.select_option("#case_determination", "SUCCESSFUL_ATTEMPT")
        submit(page.get_by_role("button", name="変更を保存する"))
        _request(page, incident.ref, "CUT_ALL_EXTERNAL_NETWORK")
        page.context.clear_cookies()

        log_in(page, "president")
        _decide_in_browser(page, "外部との通信をすべて遮断する")
        page.context.clear_cookies()

        log_in(page, "csirt")
        page.goto(room)
        expect(page.locator("#bcp")).to_contain_text("発動中（全面）")
        _move(page, "ERADICATING")
        affected = AffectedAsset.objects.get(incident=incident)
        page.locator(f"#assets li:has(#asset{affected.pk}_remediation_state) summary").click()
        page.select_option(f"#asset{affected.pk}_remediation_state", "REIMAGED")
        submit(page.locator(f"#assets li:has(#asset{affected.pk}_remediation_state) button"))
        while page.locator("#indicators form.inline-form").count():  # a loaded page: awaited
            form = page.locator("#indicators form.inline-form").first
            form.locator("select").select_option("PROXY")
            submit(form.get_by_role("button", name="ブロック済みにする"))
        _move(page, "RECOVERING")
        page.locator(f"#assets li:has(#asset{affected.pk}_remediation_state) summary").click()
        page.select_option(f"#asset{affected.pk}_remediation_state", "RESTORED")
        submit(page.locator(f"#assets li:has(#asset{affected.pk}_remediation_state) button"))
        expect(page.locator('#lifecycle li.unmet[data-code="G-RESTORED"]')).to_be_visible()
        _request(page, incident.ref, "BCP_STAND_DOWN")
        page.context.clear_cookies()

        log_in(page, "president")
        _decide_in_browser(page, "サイバー攻撃対応BCPを解除する")
        page.context.clear_cookies()

        log_in(page, "csirt")
        page.goto(room)
        _move(page, "MONITORING")
        _move(page, "REVIEWING")
        page.goto(f"/incidents/{incident.ref}/review/")
        page.fill("#review_root_cause", "マクロ付き添付ファイルの実行。")
        page.fill("#review_lessons", "マクロを既定で無効にする")
        submit(page.get_by_role("button", name="事後レビューを保存する"))
        page.goto(f"/incidents/{incident.ref}/close/")
        expect(page.locator("#close-checklist li.unmet")).to_have_count(0)
        page.fill("#close_waive_reason", "残りのタスクは本件では不要")
        page.get_by_role("button", name="インシデントを終了する").click()
        expect(page.locator(".messages")).to_contain_text("インシデントを終了しました")
        timeline = page.locator("#timeline")
        expect(timeline).to_contain_text("優先度を「P3（中）」から「P1（緊急）」に変更しました")
        expect(timeline).to_contain_text("ステータスを「事後レビュー」から「終了」に変更しました")
        shoot(page, "closure-desktop-h-journey-closed")
        assert problems == []

    incident.refresh_from_db()
    assert incident.status == "CLOSED"
    assert BcpActivation.objects.get(incident=incident).state == "STOOD_DOWN"
