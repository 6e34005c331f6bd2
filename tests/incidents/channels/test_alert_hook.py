"""Security-tool alerts posted to a source's signed webhook (issue 21, item 2)."""

import time

import pytest
import time_machine

from incidents.models import (
    AlertReceipt,
    AlertSource,
    Asset,
    Event,
    Report,
    ReportKey,
    TimelineEntry,
)
from incidents.models.enums import Channel, Impact, IndicatorKind
from incidents.services import channels, triage
from tests.incidents.channels.conftest import sample, signed_post


def _nothing_stored():
    assert Report.objects.count() == 0
    assert AlertReceipt.objects.count() == 0
    assert Event.objects.count() == 0


def test_a_defender_alert_posted_twice_makes_one_report_with_a_repeat_count_of_two(
    client, register
):
    source = register("DEFENDER")
    first = signed_post(client, source, sample("defender"))
    second = signed_post(client, source, sample("defender"))
    assert first.status_code == 201, first.json()
    assert second.status_code == 200, second.json()
    assert second.json()["repeat_count"] == 2
    assert second.json()["report"] == first.json()["report"]
    assert Report.objects.count() == 1
    receipt = AlertReceipt.objects.get()
    assert receipt.repeat_count == 2
    assert receipt.last_seen_at >= receipt.first_seen_at


def test_a_wrong_signature_gets_401_and_stores_nothing(client, register):
    source = register("DEFENDER")
    response = signed_post(client, source, sample("defender"), secret="not-the-secret")
    assert response.status_code == 401
    assert response.json()["code"] == "signature_invalid"
    _nothing_stored()


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({"timestamp": ""}, "signature_missing"),
        ({"signature": ""}, "signature_missing"),
        ({"signature": "sha256=" + "0" * 64}, "signature_invalid"),
    ],
)
def test_a_missing_or_forged_signature_is_refused(client, register, headers, code):
    source = register("DEFENDER")
    response = signed_post(client, source, sample("defender"), **headers)
    assert response.status_code == 401
    assert response.json()["code"] == code
    _nothing_stored()


@pytest.mark.parametrize("skew", [-301, 301])
def test_a_timestamp_outside_the_replay_window_is_refused(client, register, skew):
    source = register("DEFENDER", replay_window_seconds=300)
    stale = str(int(time.time()) + skew)
    response = signed_post(client, source, sample("defender"), timestamp=stale)
    assert response.status_code == 401
    assert response.json()["code"] == "timestamp_outside_window"
    _nothing_stored()


def test_a_timestamp_inside_the_replay_window_is_accepted(client, register):
    source = register("DEFENDER", replay_window_seconds=300)
    response = signed_post(
        client, source, sample("defender"), timestamp=str(int(time.time()) - 290)
    )
    assert response.status_code == 201


def test_a_disabled_source_is_refused(client, register, isms_office):
    source = register("DEFENDER")
    channels.alert_source_disable(source=source.source, actor=isms_office)
    response = signed_post(client, source, sample("defender"))
    assert response.status_code == 401
    assert response.json()["code"] == "source_disabled"
    _nothing_stored()


def test_an_unknown_address_is_404(client, register):
    response = client.post("/hooks/alerts/nope/", data=b"{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "malformed_json"),
        (b"\xff\xfe", "malformed_json"),
        (b'{"title": "x\\u0000", "severity": "High"}', "malformed_json"),
        (b'{"title": "\\ud800", "severity": "High"}', "malformed_json"),
        (b'{"title": "x", "severity": "High", "n": NaN}', "malformed_json"),
        (b"[" * 5000 + b"]" * 5000, "malformed_json"),
        (b"[1, 2]", "alert_unmappable"),
        (b'{"severity": "High"}', "alert_unmappable"),
        (b'{"title": "x", "severity": "apocalyptic"}', "alert_unmappable"),
    ],
)
def test_malformed_or_unmappable_alerts_are_400_and_store_nothing(client, register, body, code):
    source = register("DEFENDER")
    response = signed_post(client, source, body)
    assert response.status_code == 400
    assert response.json()["code"] == code
    _nothing_stored()


def test_a_defender_alert_becomes_a_report_with_its_asset_indicators_and_severity(client, register):
    source = register("DEFENDER")
    signed_post(client, source, sample("defender"))
    report = Report.objects.get()
    assert report.channel == Channel.EDR_ALERT
    assert report.asset_label == "pc-soumu-012.corp.example.co.jp"
    assert Asset.objects.filter(asset_tag=report.asset_label).exists()
    keys = set(ReportKey.objects.values_list("kind", "value"))
    assert (IndicatorKind.IP, "203.0.113.45") in keys
    assert (IndicatorKind.URL, "https://invoice-download.example.net/doc/20261205") in keys
    sha = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"
    assert (IndicatorKind.FILE_SHA256, sha) in keys
    assert report.event.impact == Impact.HIGH
    assert report.event.summary == "'Emotet' malware was detected"
    assert AlertReceipt.objects.get().payload["machineId"] == sample("defender")["machineId"]


def test_a_wazuh_alert_maps_its_agent_level_and_file_hash(client, register):
    source = register("WAZUH", name="Wazuh")
    assert signed_post(client, source, sample("wazuh")).status_code == 201
    report = Report.objects.get()
    assert report.channel == Channel.SOC_ALERT
    assert report.asset_label == "web-srv-02"
    assert report.event.impact == Impact.HIGH  # rule level 12
    assert ReportKey.objects.filter(kind=IndicatorKind.IP, value="198.51.100.23").exists()


def test_alerts_sharing_a_file_hash_join_one_triage_item_like_reports_of_one_email(
    client, register
):
    defender, wazuh = register("DEFENDER"), register("WAZUH", name="Wazuh")
    signed_post(client, defender, sample("defender"))
    signed_post(client, wazuh, sample("wazuh"))
    assert Report.objects.count() == 2
    assert Event.objects.get().report_count == 2


def test_a_generic_alert_without_an_id_repeats_by_its_mapped_fields(client, register):
    source = register("GENERIC_JSON", name="SOC")
    alert = sample("generic")
    del alert["id"]
    signed_post(client, source, alert)
    signed_post(client, source, {**alert, "description": "other words, same alert"})
    assert Report.objects.count() == 1
    assert AlertReceipt.objects.get().repeat_count == 2
    signed_post(client, source, {**alert, "hostname": "pc-other-004"})
    assert Report.objects.count() == 2


def test_a_repeat_after_the_repeat_window_files_a_new_report(client, register):
    source = register("DEFENDER", repeat_window_seconds=3600)
    with time_machine.travel("2026-12-05 09:00:00+09:00", tick=False):
        signed_post(client, source, sample("defender"))
    with time_machine.travel("2026-12-05 09:59:00+09:00", tick=False):
        assert signed_post(client, source, sample("defender")).status_code == 200
    with time_machine.travel("2026-12-05 10:01:00+09:00", tick=False):
        assert signed_post(client, source, sample("defender")).status_code == 201
    assert Report.objects.count() == 2
    assert AlertReceipt.objects.filter(open=True).get().repeat_count == 1


def test_a_repeat_of_an_alert_already_in_an_incident_is_on_its_timeline(
    client, register, isms_office
):
    source = register("DEFENDER")
    signed_post(client, source, sample("defender"))
    incident = triage.event_promote(event=Report.objects.get().event, actor=isms_office)
    signed_post(client, source, sample("defender"))
    entry = TimelineEntry.objects.filter(incident=incident, kind="alert.repeated").get()
    assert entry.payload["times_received"] == 2


def test_the_report_page_shows_the_alerts_source_count_and_original_json(
    client, register, isms_office
):
    source = register("DEFENDER", name="EDR 東京本社")
    signed_post(client, source, sample("defender"))
    signed_post(client, source, sample("defender"))
    client.force_login(isms_office)
    page = client.get(f"/reports/{Report.objects.get().pk}/", headers={"accept-language": "ja"})
    assert page.status_code == 200
    assert "EDR 東京本社" in page.text
    assert "受信回数" in page.text
    assert "pc-soumu-012.corp.example.co.jp" in page.text
    assert "5b2b1d7a9e3c4f8a91c3f0e2d4b6a8c0e1f2a3b4" in page.text  # machineId, only in the JSON


def test_a_secret_that_no_longer_decrypts_is_a_401_not_a_500(client, register):
    source = register("DEFENDER")
    AlertSource.objects.filter(pk=source.source.pk).update(secret_encrypted="gAAAA-garbage")
    response = signed_post(client, source, sample("defender"))
    assert response.status_code == 401
    _nothing_stored()
