"""Issue 16 in the browser, in Japanese, on a desktop (1366×768) and a phone (390×844): the
legal/privacy officer opens the reportability decision from the legal inbox, approves it,
completes the pre-filled PPC report and records the 速報's receipt number."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.roles import Role
from incidents.services import records
from privacy.models import DataSet, Obligation, PpcReport
from privacy.services import leaks
from tests.browser.conftest import _page, log_in, menu_link, shoot, submit
from tests.conftest import _holder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
RATIONALE = "顧客台帳（2,300人）の持ち出しの疑い。サイバー攻撃による（3号・4号）。速報を提出する。"
SECONDARY = "現時点で二次被害は確認されていない。"


@pytest.fixture(params=sorted(SIZES))
def screen(request, browser: Browser, live_server: LiveServer) -> Iterator[tuple[str, Page]]:
    for page in _page(browser, live_server, SIZES[request.param]):
        yield request.param, page


@pytest.fixture
def leaked(organisation, isms_office, decision_maker, csirt_lead):
    _holder(organisation, Role.LEGAL_PRIVACY, "legal")
    incident = records.incident_declare(
        organisation=organisation,
        actor=isms_office,
        title="ファイルサーバからの情報流出",
        category="DATA_LEAK",
    )
    ledger = DataSet.objects.create(
        organisation=organisation,
        name="顧客台帳",
        contains_personal_data=True,
        individuals_count=2300,
        data_items="氏名、住所、電話番号",
    )
    leaks.data_leak_record(
        incident=incident, actor=isms_office, data_set=ledger, kind="EXFIL_SUSPECTED"
    )
    return incident


def test_legal_approves_reportability_fills_the_ppc_report_and_records_the_receipt(screen, leaked):
    size, page = screen
    log_in(page, "legal")
    menu_link(page, "法務・個人情報").click()
    expect(page.get_by_role("heading", name="法務・個人情報の受信箱")).to_be_visible()
    expect(page.locator("main")).to_contain_text("個人情報保護委員会への速報")
    shoot(page, f"privacy-{size}-1-inbox")

    page.get_by_role("link", name="開いて判断する").first.click()
    expect(page.get_by_role("heading", name="あなたの判断")).to_be_visible()
    page.get_by_label("判断理由").fill(RATIONALE)
    shoot(page, f"privacy-{size}-2-decision")
    submit(page.get_by_role("button", name="承認"))
    expect(page.locator(".messages")).to_contain_text("承認")

    page.goto(f"/incidents/{leaked.ref}/privacy/")
    expect(page.locator("#appi")).to_contain_text("報告対象")
    expect(page.locator("#obligations")).to_contain_text("個人情報保護委員会への速報")
    shoot(page, f"privacy-{size}-3-incident")

    page.get_by_role("link", name="個人情報保護委員会への報告（速報・確報）").click()
    report = page.locator("#report")
    expect(report).to_contain_text("顧客台帳")
    expect(report).to_contain_text("2,300人")
    expect(page.locator(".alert")).to_contain_text("二次被害又はそのおそれの有無及びその内容")
    page.get_by_label("二次被害又はそのおそれの有無及びその内容").fill(SECONDARY)
    submit(page.get_by_role("button", name="報告を保存"))
    expect(page.locator("#report")).to_contain_text(SECONDARY)
    shoot(page, f"privacy-{size}-4-report")

    page.get_by_label("個人情報保護委員会の受付番号").fill("PPC-2025-000123")
    submit(page.get_by_role("button", name="提出済みとして記録"))
    expect(page.locator("#receipt")).to_contain_text("PPC-2025-000123")
    shoot(page, f"privacy-{size}-5-receipt")
    page.emulate_media(media="print")
    shoot(page, f"privacy-{size}-6-print")

    sokuho = Obligation.objects.get(incident=leaked, kind="PPC_SOKUHO")
    assert (sokuho.status, sokuho.reference_no) == ("DONE", "PPC-2025-000123")
    assert PpcReport.objects.get(incident=leaked, version="SOKUHO").items["secondary_damage"] == (
        SECONDARY
    )
