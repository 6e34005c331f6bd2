"""The ISMS office imports a STIX bundle naming a sender already reported (issue 22), at 390 px
and 1366 px, in Japanese: the import page says what was imported, the triage queue holds one new
item, and the item says who warned of what and where it was seen."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from incidents.models import Event
from incidents.models.enums import Channel
from isms_csirt.celery import app as celery_app
from tests.browser.conftest import WAIT_MS, log_in, submit
from tests.incidents.conftest import file_report, incident  # noqa: F401

SHOTS = Path("/work/coord/shots/s22in")
SAMPLE = Path(__file__).resolve().parents[2] / "sharing/samples/jpcert-alert.stix.json"


@pytest.fixture
def eager():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.mark.parametrize("width", [390, 1366])
def test_the_isms_office_imports_a_bundle_and_opens_the_one_match(
    browser: Browser,
    live_server: LiveServer,
    incident,  # noqa: F811
    isms_office,
    eager,
    width,
    tmp_path,
):
    bundle = json.loads(SAMPLE.read_text())
    bundle["objects"][2]["pattern"] = "[email-message:from_ref.value = 'keiri@evil.example']"
    upload = tmp_path / "jpcert-alert.stix.json"
    upload.write_text(json.dumps(bundle, ensure_ascii=False))
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="ja-JP", base_url=live_server.url
    )
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    log_in(page, "isms")
    page.goto("/triage/")
    submit(page.get_by_role("link", name="脅威情報を取り込む（STIX／MISP）"))
    expect(page.get_by_role("heading", name="脅威情報の取り込み")).to_be_visible()
    page.get_by_label("STIX 2.1 バンドルまたは MISP イベント（JSON）").set_input_files(str(upload))
    submit(page.get_by_role("button", name="取り込む"))
    expect(page.get_by_text("新規 2 件")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"intel-import-ja-{width}.png"), full_page=True)
    event = Event.objects.get(channel=Channel.EXTERNAL_NOTIFICATION)
    page.goto(f"/triage/{event.pk}/")
    expect(page.locator(".intel-match")).to_contain_text("JPCERT/CCが注意喚起した送信元です")
    expect(page.locator(".intel-match")).to_contain_text(incident.ref)
    page.screenshot(path=str(SHOTS / f"intel-triage-item-ja-{width}.png"), full_page=True)
    context.close()
