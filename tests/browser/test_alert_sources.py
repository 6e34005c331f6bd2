"""The ISMS office adds a security-tool alert source from the settings menu (issue 21, item 2),
at 390 px and 1366 px, in Japanese; a first alert is listed on the page."""

import json
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from incidents.channels.signing import sign
from incidents.models import AlertSource
from incidents.services import channels
from tests.browser.conftest import WAIT_MS, log_in, menu_link, submit

SHOTS = Path("/work/coord/shots/toolhook")
SAMPLE = Path(__file__).resolve().parents[2] / "incidents/channels/samples/defender.json"


@pytest.mark.parametrize("width", [390, 1366])
def test_the_isms_office_adds_an_alert_source_and_sees_the_secret_once(
    browser: Browser, live_server: LiveServer, isms_office, width
):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="ja-JP", base_url=live_server.url
    )
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    log_in(page, "isms")
    menu_link(page, "検知アラート").click()
    expect(page.get_by_role("heading", name="検知アラートの送信元")).to_be_visible()
    page.get_by_label("名前").fill("Defender 東京本社")
    page.get_by_label("検知アラートの形式").select_option("DEFENDER")
    submit(page.get_by_role("button", name="送信元を追加する"))
    expect(page.get_by_text("署名用シークレット")).to_be_visible()
    source = AlertSource.objects.get()
    body = SAMPLE.read_bytes()
    ts = str(int(time.time()))
    secret = page.locator("dd code").nth(1).inner_text().strip()
    channels.alert_receive(source=source, body=body, timestamp=ts, signature=sign(secret, ts, body))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"alert-sources-added-ja-{width}.png"), full_page=True)
    page.goto("/intake/sources/")
    expect(page.get_by_role("cell", name="受信中")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"alert-sources-ja-{width}.png"), full_page=True)
    assert json.loads(body)["title"] in source.receipts.get().report.event.summary
    context.close()
