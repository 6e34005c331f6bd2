"""Issue 22 items 3 and 4: threat intelligence in (STIX 2.1 bundle, MISP event) and the
retro-hunt that matches it against the organisation's own records."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from incidents.models import Event, TimelineEntry
from incidents.models.enums import Channel, EventStatus
from isms_csirt.celery import app as celery_app
from sharing import imports
from sharing.models import Sighting, ThreatIntelItem

SAMPLES = Path(__file__).resolve().parents[2] / "sharing" / "samples"
STIX = json.loads((SAMPLES / "jpcert-alert.stix.json").read_text())
MISP = json.loads((SAMPLES / "isac-event.misp.json").read_text())
SENDER = "keiri@evil.example"  # the sender of tests/incidents/conftest.py's PHISH
GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"


@pytest.fixture
def eager():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def _bundle(sender: str = SENDER, *, modified: str = "2026-12-01T00:00:00.000Z", marking=GREEN):
    bundle = copy.deepcopy(STIX)
    indicator = bundle["objects"][2]
    indicator["pattern"] = f"[email-message:from_ref.value = '{sender}']"
    indicator["modified"] = modified
    indicator["object_marking_refs"] = [marking]
    return json.dumps(bundle).encode()


def _import(organisation, actor, raw, capture, **kwargs):
    with capture(execute=True):
        return imports.intel_import(organisation=organisation, actor=actor, raw=raw, **kwargs)


# --- Import -------------------------------------------------------------------------------------


def test_a_stix_bundle_becomes_items_with_tlp_source_and_validity(organisation, isms_office):
    result = imports.intel_import(
        organisation=organisation, actor=isms_office, raw=_bundle(), hunt=False
    )
    assert result.source_format == "STIX" and len(result.created) == 2
    item = ThreatIntelItem.objects.get(kind="SENDER_ADDRESS")
    assert (item.value, item.tlp, item.source) == (SENDER, "GREEN", "JPCERT/CC")
    assert item.valid_from.year == 2026 and item.valid_until.year == 2027


def test_the_tlp_of_an_item_is_taken_from_its_marking(organisation, isms_office):
    imports.intel_import(
        organisation=organisation, actor=isms_office, raw=_bundle(marking=RED), hunt=False
    )
    assert ThreatIntelItem.objects.get(kind="SENDER_ADDRESS").tlp == "RED"


def test_the_uploaders_label_names_the_source(organisation, isms_office):
    imports.intel_import(
        organisation=organisation, actor=isms_office, raw=_bundle(), label="IPA", hunt=False
    )
    assert set(ThreatIntelItem.objects.values_list("source", flat=True)) == {"IPA"}


def test_a_misp_event_becomes_items_with_the_tlp_of_its_tags(organisation, isms_office):
    result = imports.intel_import(
        organisation=organisation, actor=isms_office, raw=json.dumps(MISP).encode(), hunt=False
    )
    assert result.source_format == "MISP" and len(result.created) == 3
    assert ThreatIntelItem.objects.get(kind="URL").tlp == "AMBER"  # the event's tlp:amber
    assert ThreatIntelItem.objects.get(kind="FILE_SHA256").tlp == "GREEN"  # the attribute's tag
    assert ThreatIntelItem.objects.get(kind="URL").source == "Sector ISAC"


def test_a_misp_event_without_tags_takes_its_tlp_from_the_distribution(organisation, isms_office):
    event = copy.deepcopy(MISP)
    event["Event"]["Tag"] = []
    event["Event"]["distribution"] = "3"
    imports.intel_import(
        organisation=organisation, actor=isms_office, raw=json.dumps(event).encode(), hunt=False
    )
    assert ThreatIntelItem.objects.get(kind="URL").tlp == "CLEAR"


def test_reimporting_the_same_bundle_stores_nothing_new(organisation, isms_office):
    imports.intel_import(organisation=organisation, actor=isms_office, raw=_bundle(), hunt=False)
    again = imports.intel_import(
        organisation=organisation, actor=isms_office, raw=_bundle(), hunt=False
    )
    assert again.created == [] and again.updated == [] and len(again.unchanged) == 2
    assert ThreatIntelItem.objects.count() == 2


def test_a_newer_version_of_an_indicator_updates_the_item(organisation, isms_office):
    imports.intel_import(organisation=organisation, actor=isms_office, raw=_bundle(), hunt=False)
    newer = _bundle(modified="2026-12-03T00:00:00.000Z", marking=RED)
    result = imports.intel_import(
        organisation=organisation, actor=isms_office, raw=newer, hunt=False
    )
    assert len(result.updated) == 1
    assert ThreatIntelItem.objects.get(kind="SENDER_ADDRESS").tlp == "RED"


def test_only_the_isms_office_imports(organisation, handler):
    from common.errors import DomainError

    with pytest.raises(DomainError):
        imports.intel_import(organisation=organisation, actor=handler, raw=_bundle())
    assert not ThreatIntelItem.objects.exists()


# --- Bad files: 400, a code, a message in the user's language, nothing stored ---------------------


def _deep(depth: int) -> bytes:
    return ('{"type": "bundle", "objects": [' + "[" * depth + "]" * depth + "]}").encode()


def _wrong_version() -> bytes:
    bundle = json.loads(_bundle())
    bundle["objects"][2]["spec_version"] = "2.0"
    return json.dumps(bundle).encode()


BAD = {
    "intel_not_json": lambda: b"\x89PNG not json at all",
    "intel_wrong_spec_version": _wrong_version,
    "intel_too_deep": lambda: _deep(100),
    "intel_unknown_format": lambda: b'{"hello": "world"}',
    "intel_no_usable_objects": lambda: b'{"type": "bundle", "id": "bundle--1", "objects": []}',
}


@pytest.fixture
def office_api(isms_office):
    client = APIClient()
    client.force_login(isms_office)
    return client


@pytest.mark.parametrize("code", sorted(BAD))
def test_a_bad_file_is_a_400_with_its_code_and_nothing_is_stored(office_api, code):
    upload = SimpleUploadedFile("x.json", BAD[code](), content_type="application/json")
    response = office_api.post(
        "/api/v1/intel/imports/", {"file": upload}, format="multipart", HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert not ThreatIntelItem.objects.exists() and not Event.objects.exists()


def test_a_bundle_of_50_mb_is_refused_before_it_is_read_and_nothing_is_stored(office_api):
    raw = b'{"type": "bundle", "objects": [], "padding": "' + b"x" * (50 * 1024 * 1024) + b'"}'
    upload = SimpleUploadedFile("big.json", raw, content_type="application/json")
    response = office_api.post("/api/v1/intel/imports/", {"file": upload}, format="multipart")
    # The body limit (common/middleware.py) answers before the file is spooled: 413 too_large.
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not ThreatIntelItem.objects.exists()


def test_a_file_over_the_import_limit_is_a_400_too_large(office_api, settings):
    settings.INTEL_IMPORT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.json", _bundle() + b" " * 1024, content_type="text/plain")
    response = office_api.post("/api/v1/intel/imports/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "intel_too_large"
    assert not ThreatIntelItem.objects.exists()


def test_the_upload_page_says_what_is_wrong_in_japanese(client, isms_office):
    client.force_login(isms_office)
    upload = SimpleUploadedFile("x.json", b"not json", content_type="application/json")
    response = client.post("/intel/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 400
    assert "JSON ではありません" in response.content.decode()
    assert not ThreatIntelItem.objects.exists()


# --- Retro-hunt -------------------------------------------------------------------------------


def test_a_match_opens_one_triage_item_with_the_sentence_and_links(
    organisation, isms_office, incident, eager, django_capture_on_commit_callbacks, client
):
    _import(organisation, isms_office, _bundle(), django_capture_on_commit_callbacks)
    sighting = Sighting.objects.get()
    event = sighting.event
    assert event.status == EventStatus.RECEIVED and event.channel == Channel.EXTERNAL_NOTIFICATION
    assert event.summary.startswith("JPCERT/CCが注意喚起した送信元")
    assert "1 件のメールボックスに届いています" in event.summary
    assert sighting.places["incidents"] == [incident.ref]
    assert TimelineEntry.objects.filter(incident=incident, kind="intel.sighted").count() == 1
    client.force_login(isms_office)
    page = client.get(f"/triage/{event.pk}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "JPCERT/CCが注意喚起した送信元" in page and f"/incidents/{incident.ref}/" in page


def test_the_triage_item_reads_in_english_for_an_english_reader(
    organisation, isms_office, incident, eager, django_capture_on_commit_callbacks, client
):
    _import(organisation, isms_office, _bundle(), django_capture_on_commit_callbacks)
    event = Sighting.objects.get().event
    client.force_login(isms_office)
    client.cookies["django_language"] = "en"
    page = client.get(f"/triage/{event.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "JPCERT/CC warned of a sender" in page


def test_reimporting_and_rerunning_the_hunt_opens_no_second_item(
    organisation, isms_office, incident, eager, django_capture_on_commit_callbacks
):
    from sharing import retrohunt

    _import(organisation, isms_office, _bundle(), django_capture_on_commit_callbacks)
    _import(organisation, isms_office, _bundle(), django_capture_on_commit_callbacks)
    newer = _bundle(modified="2026-12-05T00:00:00.000Z")
    _import(organisation, isms_office, newer, django_capture_on_commit_callbacks)
    retrohunt.hunt_items(
        organisation.pk, list(ThreatIntelItem.objects.values_list("pk", flat=True))
    )
    assert Sighting.objects.count() == 1
    assert Event.objects.filter(channel=Channel.EXTERNAL_NOTIFICATION).count() == 1


def test_a_value_nobody_received_opens_nothing(
    organisation, isms_office, incident, eager, django_capture_on_commit_callbacks
):
    _import(
        organisation,
        isms_office,
        _bundle("nobody@else.example"),
        django_capture_on_commit_callbacks,
    )
    assert not Sighting.objects.exists()
    assert not Event.objects.filter(channel=Channel.EXTERNAL_NOTIFICATION).exists()


def test_records_older_than_the_window_are_not_hunted(
    organisation, isms_office, incident, eager, django_capture_on_commit_callbacks, settings
):
    settings.INTEL_RETROHUNT_DAYS = 0
    _import(organisation, isms_office, _bundle(), django_capture_on_commit_callbacks)
    assert not Sighting.objects.exists()


def test_a_misp_event_naming_a_reported_url_is_sighted_once(
    organisation, isms_office, file_report, eager, django_capture_on_commit_callbacks
):
    file_report(url="https://invoice-jp.example/download")
    raw = json.dumps(MISP).encode()
    _import(organisation, isms_office, raw, django_capture_on_commit_callbacks)
    _import(organisation, isms_office, raw, django_capture_on_commit_callbacks)
    assert Sighting.objects.get().item.kind == "URL"


# --- Acceptance: the demo --------------------------------------------------------------------


def test_importing_the_sample_bundle_on_the_demo_opens_exactly_one_triage_item_then_none(
    db, settings, tmp_path, eager, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    from accounts.models import User

    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=StringIO())
    office = User.objects.get(username="isms")
    raw = (SAMPLES / "jpcert-alert.stix.json").read_bytes()
    before = set(Event.objects.values_list("pk", flat=True))
    _import(office.organisation, office, raw, django_capture_on_commit_callbacks)
    opened = Event.objects.exclude(pk__in=before)
    assert opened.count() == 1
    assert "keiri@invoice-jp.example" in opened.get().summary
    _import(office.organisation, office, raw, django_capture_on_commit_callbacks)
    assert Event.objects.exclude(pk__in=before).count() == 1
