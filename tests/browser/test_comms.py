"""Issue 17's journey in Japanese: PR drafts the press release from the template (desktop,
1366×768), the CSIRT lead approves the text, the release cannot be marked sent before the
announcement; the decision maker approves the PUBLIC_ANNOUNCEMENT on a 390×844 phone; PR marks
the release sent. No console error, no CSP violation."""

import re

import pytest
from playwright.sync_api import Page, expect

from bcp.services import decisions
from comms.models import Communication
from incidents.models import Incident
from tests.browser.conftest import SCREENSHOTS, _page, log_in, shoot, submit
from tests.comms.conftest import pr, pr_task  # noqa: F401
from tests.incidents.conftest import PHISH, file_report, incident  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def _watch(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_pr_drafts_the_press_release_the_decision_maker_approves_on_the_phone_pr_sends(
    browser,
    live_server,
    incident,  # noqa: F811 - the imported fixture
    pr,  # noqa: F811
    csirt_lead,
    decision_maker,
    isms_office,
):
    Incident.objects.filter(pk=incident.pk).update(level=3, peak_level=3)
    pr_task(incident, isms_office)  # PR sees the incidents where PR holds a task (issue 16)
    decisions.decision_open(incident=incident, decision_type="PUBLIC_ANNOUNCEMENT")
    comms_page = f"/incidents/{incident.ref}/communications/"

    for desk in _page(browser, live_server, DESKTOP):
        problems = _watch(desk)
        log_in(desk, "pr")
        desk.goto(comms_page)
        expect(desk.locator("h1")).to_have_text("コミュニケーション（連絡・公表）")
        desk.select_option("#tpl_template", "PRESS_RELEASE")
        submit(desk.get_by_role("button", name="下書きを作成"))
        expect(desk.locator("#comm-status")).to_have_text("下書き")
        body = desk.locator("#comm_body")
        expect(body).to_contain_text("【要記入：情報の項目と件数】")
        expect(body).to_contain_text("テスト株式会社")
        shoot(desk, "comms-desktop-a-press-release-drafted")
        text = body.input_value().replace(
            "【要記入：情報の項目と件数】", "氏名・メールアドレス 約1,200件"
        )
        body.fill(re.sub(r"【要記入：([^】]*)】", r"（\1：記入済み）", text))
        submit(desk.get_by_role("button", name="保存", exact=True))
        expect(desk.locator(".messages")).to_contain_text("文面を保存しました。")
        assert problems == []

    release = Communication.objects.get()
    detail = f"{comms_page}{release.pk}/"
    for desk in _page(browser, live_server, DESKTOP):
        problems = _watch(desk)
        log_in(desk, "csirt")
        desk.goto(detail)
        submit(desk.get_by_role("button", name="承認する"))
        expect(desk.locator("#comm-status")).to_have_text("承認済み")
        submit(desk.get_by_role("button", name="送信済みにする"))
        expect(desk.locator(".messages")).to_contain_text("公表の判断が承認されるまで")
        shoot(desk, "comms-desktop-b-refused-before-the-announcement")
        assert problems == []

    for phone in _page(browser, live_server, PHONE):
        problems = _watch(phone)
        log_in(phone, "president")
        phone.goto("/decisions/")
        card = phone.locator(".decision-card", has_text="公表")
        shoot(phone, "comms-phone-c-inbox")
        card.get_by_role("link", name="開いて判断する").click()
        phone.get_by_label("判断理由").fill("漏えいのおそれがあり、本人と取引先への説明が必要。")
        phone.get_by_role("button", name="承認").click()
        expect(phone.locator(".messages")).to_be_visible()
        shoot(phone, "comms-phone-d-announcement-approved")
        phone.goto(f"/incidents/{incident.ref}/")
        expect(phone.locator("#communications")).to_contain_text("承認済み")
        phone.locator("#communications").screenshot(
            path=str(SCREENSHOTS / "comms-phone-d2-card.png")
        )
        shoot(phone, "comms-phone-d2-incident-room")
        assert problems == []

    for desk in _page(browser, live_server, DESKTOP):
        problems = _watch(desk)
        log_in(desk, "pr")
        desk.goto(detail)
        expect(desk.get_by_text("公表の判断：承認済み")).to_be_visible()
        desk.fill("#status_reference", "https://example.co.jp/news/2026-001")
        submit(desk.get_by_role("button", name="送信済みにする"))
        expect(desk.locator("#comm-status")).to_have_text("送信済み")
        shoot(desk, "comms-desktop-e-sent")
        assert problems == []

    release.refresh_from_db()
    assert (release.status, release.announcement.type) == ("SENT", "PUBLIC_ANNOUNCEMENT")
