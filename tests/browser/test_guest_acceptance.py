"""Issue 17's acceptance in Japanese, on a 390 px phone and a 1366 px desktop: an outside
responder invited to one incident with a 7-day expiry sets a password on the one-time link,
enrols an authenticator app (TWO_FACTOR_REQUIRED_FOR_GUESTS), adds evidence and a finding, and
reaches nothing else (another incident, the lists and the API answer 404). No console error, no
CSP violation. Screenshots go to $SHOTS_DIR (default var/screenshots)."""

import os
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from comms.services import guests
from incidents.models import EvidenceItem, Fact, TimelineEntry
from tests.browser.conftest import SCREENSHOTS, _page, submit
from tests.comms.test_guests import second_incident  # noqa: F401
from tests.incidents.conftest import PHISH, file_report, incident  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
PASSWORD = "correct-horse-battery-42"


def _shoot(page: Page, name: str) -> None:
    folder = Path(os.environ.get("SHOTS_DIR") or SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _watch(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_an_invited_responder_enrols_2fa_adds_evidence_and_a_finding_and_reaches_nothing_else(
    browser,
    live_server,
    incident,  # noqa: F811
    second_incident,  # noqa: F811
    csirt_lead,
    settings,
    time_machine,
    tmp_path,
    size,
):
    settings.TWO_FACTOR_REQUIRED_FOR_GUESTS = True
    time_machine.move_to(timezone.now(), tick=True)
    invitation, token = guests.guest_invite(
        incident=incident,
        actor=csirt_lead,
        email=f"sato-{size}@xyz.example",
        name="佐藤（XYZフォレンジック）",
        role="CONTRIBUTE",
        expires_at=timezone.now() + timedelta(days=7),
        tlp_ceiling="AMBER_STRICT",
        base_url=live_server.url,
    )
    upload = tmp_path / "memory.txt"
    upload.write_text("dump")
    for page in _page(browser, live_server, SIZES[size]):
        problems = _watch(page)
        page.goto(f"/guest/accept/{token}/")
        expect(page.locator("h1")).to_have_text("ゲストアクセス")
        _shoot(page, f"{size}-1-one-time-link")
        page.fill("#accept_password", PASSWORD)
        page.fill("#accept_password_again", PASSWORD)
        submit(page.get_by_role("button", name="パスワードを設定してインシデントを開く"))
        assert page.url.endswith("/accounts/2fa/")  # the incident waits for the second factor
        expect(page.locator("main")).not_to_contain_text(incident.title)
        expect(page.locator(".site-nav, .menu-toggle")).to_have_count(0)  # the guest layout
        _shoot(page, f"{size}-2-enrol-first")
        page.goto("/accounts/2fa/totp/activate/")  # no second password prompt
        expect(page.locator("#authenticator_secret")).to_be_visible()
        _shoot(page, f"{size}-3-authenticator-app")
        app = pyotp.TOTP(page.locator("#authenticator_secret").input_value())
        page.fill("input[name=code]", app.now())
        submit(page.locator("main form button[type=submit]"))
        _shoot(page, f"{size}-3b-recovery-codes")
        submit(page.locator("a.brand"))  # back to the incident: the code is asked once
        assert "/accounts/2fa/reauthenticate/" in page.url
        time_machine.shift(30)  # the next code: a code is accepted once
        page.fill("input[name=code]", app.now())
        submit(page.locator("main form button[type=submit]").first)
        expect(page.locator("h1")).to_contain_text(incident.ref)

        page.set_input_files("#evidence_file", str(upload))
        submit(page.get_by_role("button", name="証拠を保存"))
        expect(page.locator(".guest-evidence")).to_contain_text("memory.txt")
        page.select_option("#fact_kind", "external_comm")
        page.select_option("#fact_status", "CONFIRMED")
        page.fill("#fact_c2", "c2.evil.example")
        submit(page.get_by_role("button", name="判明した内容を記録する"))
        expect(page.locator(".messages")).to_contain_text("判明した内容をインシデントの記録に追加")
        _shoot(page, f"{size}-4-guest-page-evidence-and-finding")
        assert problems == []  # (a 404 below is a console error of its own)

        for path in (f"/incidents/{second_incident.ref}/", "/incidents/", "/api/v1/incidents/"):
            answer = page.goto(path)
            assert answer is not None and answer.status == 404, path
        _shoot(page, f"{size}-5-another-incident-404")

    guest = invitation.__class__.objects.get(pk=invitation.pk).guest
    assert EvidenceItem.objects.get(incident=incident, collected_by=guest)
    assert Fact.objects.get(incident=incident, kind="EXTERNAL_COMM", recorded_by=guest)
    assert TimelineEntry.objects.filter(incident=incident, kind="guest.fact_added", actor=guest)
    assert not Fact.objects.filter(incident=second_incident, recorded_by=guest).exists()
