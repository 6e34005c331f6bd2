"""Evidence over the API: server-generated storage names, size limit, attachment-only download."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents.models import CustodyEvent, EvidenceItem, TimelineEntry
from incidents.services import records
from tests.incidents.api.conftest import API


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def url(incident):
    return f"{API}/incidents/{incident.ref}/evidence/"


@pytest.fixture
def office(client_for):
    return client_for("isms_office")


def _upload(client, url, name, content=b"<svg onload=alert(1)>", content_type="image/svg+xml"):
    upload = SimpleUploadedFile(name, content, content_type)
    return client.post(url, {"file": upload, "kind": "SCREENSHOT"}, format="multipart")


@pytest.mark.parametrize(
    "name", ["../../x", "..\\..\\windows\\x.exe", "x.html", "x.svg", "請求書.pdf", 'a"; b="c.html']
)
def test_evidence_is_stored_under_a_server_name_and_served_only_as_an_attachment(office, url, name):
    created = _upload(office, url, name)
    assert created.status_code == 201
    item = EvidenceItem.objects.get(pk=created.json()["id"])
    assert re.fullmatch(rf"evidence/{item.incident_id}/[0-9a-f]{{32}}", item.file.name)

    response = office.get(f"{url}{item.pk}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename")
    assert "/" not in disposition.replace("utf-8''", "") and "\\" not in disposition
    assert disposition.count('"') in (0, 2)
    assert b"".join(response.streaming_content) == b"<svg onload=alert(1)>"


@pytest.mark.parametrize(
    ("original", "served"),
    [
        ("../../x", "x"),
        ("..\\..\\windows\\x.exe", "x.exe"),
        ("x.html", "x.html"),
        ("x.svg", "x.svg"),
        ('a"; filename="evil.html', "a filename=evil.html"),
        ("..", "evidence-{pk}"),
        ("line\r\nSet-Cookie: a=b", "lineSet-Cookie: a=b"),
    ],
)
def test_a_stored_name_from_any_source_is_served_as_a_plain_attachment_name(
    office, url, evidence_item, original, served
):
    EvidenceItem.objects.filter(pk=evidence_item.pk).update(original_name=original)
    response = office.get(f"{url}{evidence_item.pk}/download/")
    expected = served.format(pk=evidence_item.pk)
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert response["Content-Type"] == "application/octet-stream"


def test_the_upload_records_sha256_size_and_custody(office, url, isms_office):
    content = b"memory image"
    response = _upload(office, url, "mem.raw", content, "application/octet-stream")
    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["size"] == len(content)
    assert body["collected_by"]["id"] == isms_office.pk
    assert [c["action"] for c in body["custody"]] == ["COLLECTED"]
    assert "file" not in body


def test_a_client_cannot_choose_the_stored_name_or_the_collector(office, url, outsider):
    upload = SimpleUploadedFile("a.txt", b"a")
    response = office.post(
        url,
        {"file": upload, "original_name": "evil.html", "collected_by": outsider.pk, "size": 1},
        format="multipart",
    )
    item = EvidenceItem.objects.get(pk=response.json()["id"])
    assert item.original_name == "a.txt"
    assert item.collected_by != outsider


def test_an_oversized_upload_is_refused_with_413_and_nothing_is_stored(
    office, url, settings, incident
):
    settings.EVIDENCE_MAX_BYTES = 1024
    entries = TimelineEntry.objects.filter(incident=incident).count()
    response = _upload(office, url, "big.bin", b"x" * 1025, "application/octet-stream")
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert response.json()["details"]["limit_bytes"] == 1024
    assert not EvidenceItem.objects.exists()
    assert TimelineEntry.objects.filter(incident=incident).count() == entries
    assert not (settings.MEDIA_ROOT / "evidence").exists()


def test_an_upload_without_a_file_names_the_missing_field(office, url):
    response = office.post(url, {"kind": "OTHER"}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "required"
    assert response.json()["details"]["field"] == "file"


def test_an_unknown_evidence_kind_is_refused(office, url):
    upload = SimpleUploadedFile("a.txt", b"a")
    response = office.post(url, {"file": upload, "kind": "RUMOUR"}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_choice"
    assert not EvidenceItem.objects.exists()


def test_custody_records_who_holds_it_and_where(office, url, evidence_item):
    response = office.post(
        f"{url}{evidence_item.pk}/custody/",
        {"action": "TRANSFERRED", "holder": "警察署 サイバー課", "location": "本署"},
        format="json",
    )
    assert response.status_code == 201
    assert CustodyEvent.objects.filter(evidence=evidence_item).count() == 2


def test_a_transfer_without_a_holder_is_refused(office, url, evidence_item):
    response = office.post(
        f"{url}{evidence_item.pk}/custody/", {"action": "TRANSFERRED"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "holder_required"
    assert CustodyEvent.objects.filter(evidence=evidence_item).count() == 1


def test_evidence_of_another_incident_is_not_found_under_this_one(
    office, url, evidence_item, organisation, isms_office
):
    other = records.incident_declare(
        organisation=organisation, actor=isms_office, title="別", category="OTHER"
    )
    response = office.get(f"{API}/incidents/{other.ref}/evidence/{evidence_item.pk}/download/")
    assert response.status_code == 404


def test_a_client_may_ask_for_the_file_as_octet_stream(office, url, evidence_item):
    response = office.get(
        f"{url}{evidence_item.pk}/download/", HTTP_ACCEPT="application/octet-stream"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
