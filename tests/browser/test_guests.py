"""Issue 17 item 4 in Japanese: the CSIRT lead invites a forensics company's responder to one
incident on a desktop (1366×768); the responder opens the one-time link on a 390×844 phone, sets
a password, adds evidence and sees nothing else. No console error, no CSP violation."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from common import clock
from comms.models import GuestInvitation
from incidents.models import EvidenceItem
from tests.browser.conftest import _page, log_in, shoot, submit
from tests.incidents.conftest import PHISH, file_report, incident  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
GUEST_PASSWORD = "correct-horse-battery-42"


def _watch(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_the_lead_invites_a_responder_who_adds_evidence_on_a_phone_and_sees_nothing_else(
    browser,
    live_server,
    incident,  # noqa: F811 - the imported fixture
    csirt_lead,
    tmp_path,
):
    for desk in _page(browser, live_server, DESKTOP):
        problems = _watch(desk)
        log_in(desk, "csirt")
        desk.goto(f"/incidents/{incident.ref}/communications/")
        submit(desk.get_by_role("link", name="外部対応者（ゲスト） →"))
        expect(desk.locator("h1")).to_have_text("外部対応者（ゲスト）")
        desk.fill("#guest_email", "sato@xyz.example")
        desk.fill("#guest_name", "佐藤（XYZフォレンジック）")
        desk.select_option("#guest_role", "CONTRIBUTE")
        desk.select_option("#guest_tlp_ceiling", "AMBER_STRICT")  # the incident's TLP
        expiry = (clock.now() + timedelta(days=7)).astimezone().strftime("%Y-%m-%dT%H:%M")
        desk.fill("#guest_expires_at", expiry)
        submit(desk.get_by_role("button", name="招待メールを送る"))
        expect(desk.locator(".messages")).to_contain_text("sato@xyz.example を招待しました")
        expect(desk.locator("table")).to_contain_text("まだリンクが開かれていません")
        shoot(desk, "guests-desktop-a-invited")
        assert problems == []

    link = re.search(r"https?://\S+/guest/accept/\S+/", mail.outbox[-1].body).group(0)
    upload = tmp_path / "memory.txt"
    upload.write_text("dump")
    for phone in _page(browser, live_server, PHONE):
        problems = _watch(phone)
        phone.goto("/guest/" + link.split("/guest/", 1)[1])
        expect(phone.locator("h1")).to_have_text("ゲストアクセス")
        phone.fill("#accept_password", GUEST_PASSWORD)
        phone.fill("#accept_password_again", GUEST_PASSWORD)
        submit(phone.get_by_role("button", name="パスワードを設定してインシデントを開く"))
        expect(phone.locator("h1")).to_contain_text(incident.ref)
        phone.set_input_files("#evidence_file", str(upload))
        submit(phone.get_by_role("button", name="証拠を保存"))
        expect(phone.locator(".guest-evidence")).to_contain_text("memory.txt")
        shoot(phone, "guests-phone-b-the-guest-page")
        assert problems == []
        answer = phone.goto("/incidents/")  # every other page: 404
        assert answer is not None and answer.status == 404

    assert GuestInvitation.objects.get().accepted_at is not None
    assert EvidenceItem.objects.get(incident=incident).original_name == "memory.txt"
