"""The inventory import in a real browser, in Japanese, at 390 px and 1366 px: a bad CSV shows
each line and column, a good one is previewed and then imported (issue 23, step 1)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from incidents.models import Asset
from tests.browser.conftest import _page, log_in, shoot, submit
from tests.vulns.conftest import SAMPLES
from vulns.models import Software

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD = "資産番号,ベンダー,製品名,バージョン\r\nNOPE-9,Acme,Tool,1.0\r\nPC-001,Acme,Tool,\r\n"


@pytest.mark.parametrize("width", [390, 1366])
def test_the_inventory_csv_is_checked_then_imported_in_japanese(
    browser: Browser, live_server: LiveServer, organisation, csirt_lead, width, tmp_path
):
    for tag in ("VPN-01", "PC-001"):
        Asset.objects.create(organisation=organisation, asset_tag=tag)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(BAD.encode("cp932"))
    page = next(_page(browser, live_server, {"width": width, "height": 900}))
    log_in(page, csirt_lead.username)
    page.goto("/vulnerabilities/inventory/import/")
    page.set_input_files("#inventory_file", str(bad))
    submit(page.locator("main button[type=submit]"))
    expect(page.locator("table.errors")).to_contain_text("2 行目")
    expect(page.locator("table.errors")).to_contain_text("資産番号")
    shoot(page, f"v23inv-inventory-refused-{width}")
    page.set_input_files("#inventory_file", str(SAMPLES / "inventory.csv"))
    submit(page.locator("main button[type=submit]"))
    expect(page.locator("main")).to_contain_text("問題は見つかりませんでした")
    shoot(page, f"v23inv-inventory-preview-{width}")
    submit(page.get_by_role("button", name="取り込む", exact=True))
    assert Software.objects.count() == 3
    shoot(page, f"v23inv-inventory-imported-{width}")


@pytest.mark.parametrize("width", [390, 1366])
def test_the_feed_settings_show_the_last_success_and_the_last_error_in_japanese(
    browser: Browser, live_server: LiveServer, organisation, csirt_lead, width
):
    from common import clock
    from vulns.models import FeedSource

    now = clock.now()
    FeedSource.objects.create(
        organisation=organisation,
        kind="kev",
        url="https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json",
        last_success_at=now,
    )
    FeedSource.objects.create(
        organisation=organisation,
        kind="jvn",
        url="https://jvndb.jvn.jp/myjvn?method=getVulnOverviewList",
        last_error="サーバーの応答は503でした。",
        last_error_at=now,
    )
    page = next(_page(browser, live_server, {"width": width, "height": 900}))
    log_in(page, csirt_lead.username)
    page.goto("/vulnerabilities/feeds/")
    expect(page.locator("main")).to_contain_text("サーバーの応答は503でした。")
    shoot(page, f"v23inv-feeds-{width}")
