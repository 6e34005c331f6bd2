"""Acceptance of the intake desk in a real browser, in Japanese.

(a) On a phone, a reporter taps (the report is filed) → first aid → details → confirmation.
(b) The ISMS office promotes the report from the triage queue and the incident appears.
(c) A contractor without an account reports through the organisation's reporting link.
"""

import zoneinfo

import pytest
from playwright.sync_api import expect

from common import clock
from incidents.models import Incident, Report
from incidents.services import intake, intake_admin
from tests.browser.conftest import WAIT_MS, log_in, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIG_BUTTON = "不審なメール・添付ファイル・リンクを開いてしまった"


def _go_through_first_aid(page, prefix: str) -> None:
    expect(page.get_by_role("heading", name="不審なメールの報告")).to_be_visible()
    expect(
        page.get_by_role("link", name="不審なメールを受信しただけ（開いていない）")
    ).to_be_visible()
    shoot(page, f"{prefix}-1-start")
    page.get_by_role("button", name=BIG_BUTTON).click()
    expect(page.get_by_role("heading", name="今すぐ、次のことをしてください")).to_be_visible()
    expect(page.locator(".report-saved")).to_contain_text("報告を送信しました。")
    expect(
        page.get_by_text("PCからLANケーブルを抜く。無線の場合はWi-Fiをオフにする。")
    ).to_be_visible()
    expect(
        page.get_by_text("PCの電源は切らない・再起動しない。そのままにしておく。")
    ).to_be_visible()
    expect(page.get_by_role("link", name="03-1234-5678")).to_have_attribute(
        "href", "tel:03-1234-5678"
    )
    later = "詳しいことは、あとからスマートフォンで送れます"
    expect(page.get_by_role("heading", name=later)).to_be_visible()
    shoot(page, f"{prefix}-2-first-aid")
    page.get_by_role("button", name="実施しました（この端末で詳しく書く）").click()
    expect(page.get_by_role("heading", name="詳しい内容を書く")).to_be_visible()
    expect(page.get_by_text("初動対応の確認時刻")).to_be_visible()


def _fill_mail(page) -> None:
    page.get_by_label("添付ファイルを開いた").check()
    page.get_by_label("差出人（From）").fill("keiri@evil.example")
    page.get_by_label("件名").fill("【至急】請求書の送付")
    page.get_by_label("添付ファイル名").fill("請求書.xlsm")
    page.get_by_label("PC名または資産番号").fill("PC-0123")
    page.get_by_label("はい、抜きました（またはWi-Fiをオフにしました）").check()


def _expect_confirmation(page, prefix: str) -> Report:
    expect(page.get_by_role("heading", name="報告を受け付けました")).to_be_visible()
    expect(page.locator(".report-number")).to_contain_text("受付番号")
    report = Report.objects.get()
    expect(page.locator(".report-number strong")).to_have_text(report.number)
    expect(page.get_by_text("ISMS事務局から連絡します。")).to_be_visible()
    shoot(page, f"{prefix}-4-done")
    return report


def test_a_reporter_reports_in_one_tap_on_a_phone(phone, reporter):
    log_in(phone, "reporter")
    phone.locator(".site-header").get_by_role("link", name="報告する").click()
    _go_through_first_aid(phone, "a")
    _fill_mail(phone)
    shoot(phone, "a-3-form")
    phone.get_by_role("button", name="詳細を送信する").click()
    report = _expect_confirmation(phone, "a")
    assert report.reporter == reporter
    assert report.channel == "ONE_TAP"
    assert report.first_aid_confirmed_at is not None
    assert report.received_at <= report.first_aid_confirmed_at  # report first, then first aid
    assert Report.objects.count() == 1
    assert (report.subject, report.cable_pulled) == ("【至急】請求書の送付", True)


def test_the_isms_office_promotes_the_report_and_the_incident_appears(
    desktop, organisation, reporter, isms_office
):
    intake.report_submit(
        organisation=organisation,
        actor=reporter,
        data=intake.ReportInput(
            channel="ONE_TAP",
            what_happened="OPENED_ATTACHMENT",
            sender="keiri@evil.example",
            subject="【至急】請求書の送付",
            asset_label="PC-0123",
            cable_pulled=True,
            first_aid_confirmed_at=clock.now(),
            impact="MEDIUM",
        ),
    )
    log_in(desktop, "isms")
    desktop.locator("header").get_by_role("link", name="トリアージ").click()
    expect(desktop.get_by_role("heading", name="トリアージ待ち一覧")).to_be_visible()
    item = desktop.locator(".queue-item").first
    expect(item).to_contain_text("報告 1 件")
    expect(item).to_contain_text("P2")
    shoot(desktop, "b-1-triage-queue")
    item.get_by_role("link", name="【至急】請求書の送付").click()
    desktop.get_by_label("インシデントの件名").fill("請求書を装った標的型攻撃メール")
    shoot(desktop, "b-2-triage-item")
    desktop.get_by_role("button", name="インシデントを宣言する").click()

    year = clock.now().astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).year
    ref = f"INC-{year}-0001"
    desktop.wait_for_url(f"**/incidents/{ref}/")
    expect(desktop.locator(".incident-ref")).to_have_text(ref)
    expect(desktop.get_by_role("heading", name="請求書を装った標的型攻撃メール")).to_be_visible()
    expect(desktop.locator("#assets")).to_contain_text("PC-0123")
    shoot(desktop, "b-3-incident")
    desktop.locator("header").get_by_role("link", name="インシデント").click()
    expect(desktop.get_by_role("link", name=ref)).to_be_visible()
    shoot(desktop, "b-4-incident-list")
    assert Incident.objects.get().ref == ref


def test_a_contractor_reports_through_the_reporting_link_without_an_account(
    phone, organisation, isms_office
):
    link = intake_admin.reporting_link_rotate(organisation=organisation, actor=isms_office)
    phone.goto(f"/r/{link.token}/")
    expect(phone.get_by_text(f"報告先：{organisation.name}")).to_be_visible()
    _go_through_first_aid(phone, "c")
    phone.get_by_label("お名前").fill("派遣 花子")
    phone.get_by_label("メールアドレス").fill("hanako@example.com")
    _fill_mail(phone)
    shoot(phone, "c-3-form")
    phone.get_by_role("button", name="詳細を送信する").click()
    report = _expect_confirmation(phone, "c")
    assert report.reporter is None
    assert (report.reporter_name, report.reporter_email) == ("派遣 花子", "hanako@example.com")
    assert report.first_aid_confirmed_at is not None


def test_a_revoked_link_shows_a_clear_page(phone, organisation, isms_office):
    old = intake_admin.reporting_link_rotate(organisation=organisation, actor=isms_office)
    intake_admin.reporting_link_rotate(organisation=organisation, actor=isms_office)
    response = phone.goto(f"/r/{old.token}/")
    assert response.status == 410
    expect(
        phone.get_by_role("heading", name="この報告用リンクは新しいものに変わりました")
    ).to_be_visible()
    shoot(phone, "c-5-link-replaced")
    response = phone.goto("/r/not-a-token/")
    assert response.status == 404
    expect(phone.get_by_role("heading", name="この報告用リンクは無効です")).to_be_visible()
    shoot(phone, "c-5-link-invalid")


def test_a_worker_who_taps_and_pulls_the_cable_has_a_report_the_office_sees(
    browser, live_server, reporter, isms_office
):
    """Issue 15's acceptance: the report exists the moment the worker taps, so pulling the
    cable (the browser goes offline) loses nothing; the office's triage queue shows it."""
    worker = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="ja-JP", base_url=live_server.url
    )
    worker.set_default_timeout(WAIT_MS)
    pc = worker.new_page()
    log_in(pc, "reporter")
    pc.goto("/report/?pc=PC-0123")
    pc.get_by_role("button", name=BIG_BUTTON).click()
    expect(pc.get_by_role("heading", name="今すぐ、次のことをしてください")).to_be_visible()
    report = Report.objects.get()
    expect(pc.locator(".report-saved")).to_contain_text(report.number)
    worker.set_offline(True)  # the worker pulls the LAN cable
    shoot(pc, "d-1-first-aid-offline")

    office = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="ja-JP", base_url=live_server.url
    )
    office.set_default_timeout(WAIT_MS)
    desk = office.new_page()
    log_in(desk, "isms")
    desk.goto("/triage/")
    item = desk.locator(".queue-item").first
    expect(item).to_contain_text("PC-0123")
    expect(item).to_contain_text(str(reporter))
    shoot(desk, "d-2-office-triage")
    item.locator("a.queue-title").click()
    expect(desk.get_by_text(report.number)).to_be_visible()
    expect(desk.get_by_text("まだです（ワンタップで報告されました）。")).to_be_visible()
    shoot(desk, "d-3-office-triage-item")
    worker.close()
    office.close()
