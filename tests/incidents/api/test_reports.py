"""POST /api/v1/reports/: filing, Idempotency-Key, and the bad input of the issue."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.models import Event, IdempotencyRecord, Report
from tests.incidents.api.conftest import API

REPORTS = f"{API}/reports/"
MAIL = {
    "sender": '"経理部" <keiri@evil.example>',
    "subject": "【至急】請求書の送付",
    "url": "https://evil.example/invoice",
    "what_happened": "OPENED_ATTACHMENT",
    "asset_label": "PC-12",
}


@pytest.fixture
def gateway(client_for):
    return client_for("key_write")


def test_an_integration_files_a_report_that_names_it_as_reporter(gateway, write_key):
    response = gateway.post(REPORTS, {**MAIL, "reporter_email": "yamada@example.com"}, "json")
    assert response.status_code == 201
    body = response.json()
    assert body["channel"] == "API"
    assert body["number"].startswith("R-")
    assert body["event"] is not None and body["incident"] is None
    report = Report.objects.get(pk=body["id"])
    assert report.reporter == write_key[0].service_user
    assert report.reporter_email == "yamada@example.com"


def test_a_logged_in_employee_files_a_report_as_themselves(client_for, reporter):
    response = client_for("reporter").post(REPORTS, MAIL, format="json")
    assert response.status_code == 201
    assert response.json()["reporter"]["id"] == reporter.pk


def test_fields_the_client_may_not_set_are_ignored(gateway, organisation, outsider, write_key):
    forged = {
        **MAIL,
        "organisation": outsider.organisation_id,
        "reporter": outsider.pk,
        "status": "PROMOTED",
        "incident": "INC-2000-0001",
        "received_at": "2001-01-01T00:00:00Z",
        "created_at": "2001-01-01T00:00:00Z",
        "matched": {"target": "incident", "id": 1},
    }
    response = gateway.post(REPORTS, forged, format="json")
    assert response.status_code == 201
    report = Report.objects.get(pk=response.json()["id"])
    assert report.organisation == organisation
    assert report.reporter == write_key[0].service_user
    assert report.incident is None
    assert report.received_at > timezone.now() - timedelta(minutes=1)
    assert report.matched.get("target") == "event"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("category", "ALIENS", "invalid_choice"),
        ("what_happened", "DANCED", "invalid_choice"),
        ("channel", "CARRIER_PIGEON", "invalid_choice"),
        ("impact", "APOCALYPTIC", "invalid_choice"),
        ("sender", "not an address", "invalid"),
        ("reporter_email", "yamada@", "invalid"),
        ("url", "javascript:alert(1)", "invalid"),
        ("url", "http://", "invalid"),
        ("attachment_sha256", "abc", "invalid"),
        ("mail_received_at", "yesterday-ish", "invalid"),
        ("mail_received_at", "1970-01-01T00:00:00Z", "invalid_timestamp"),
        ("mail_received_at", "2999-01-01T00:00:00Z", "invalid_timestamp"),
        ("cable_pulled_at", "9999-12-31T23:59:59Z", "invalid_timestamp"),
        ("first_aid_confirmed_at", "1900-01-01T00:00:00+09:00", "invalid_timestamp"),
        ("subject", "x" * 999, "max_length"),
        ("description", "nul\x00byte", "null_characters_not_allowed"),
    ],
)
def test_bad_input_is_refused_with_its_code_and_field_and_nothing_is_filed(
    gateway, field, value, code
):
    response = gateway.post(REPORTS, {**MAIL, field: value}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert body["details"]["field"] == field
    assert Report.objects.count() == 0
    assert Event.objects.count() == 0


def test_malformed_json_is_a_parse_error(gateway):
    response = gateway.post(REPORTS, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert Report.objects.count() == 0


def test_an_anonymous_client_cannot_file_through_the_api(client_for, db):
    assert client_for("anonymous").post(REPORTS, MAIL, format="json").status_code == 401
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    "field", ["subject", "description", "attachment_name", "asset_label", "reporter_name"]
)
def test_html_and_script_are_stored_as_text(gateway, field):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = gateway.post(REPORTS, {**MAIL, field: payload}, format="json")
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert response.json()[field] == payload
    assert getattr(Report.objects.get(), field) == payload


def test_an_eml_that_does_not_parse_is_kept_and_the_report_accepted(gateway, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    eml = SimpleUploadedFile("../../broken.eml", b"\x00\xff garbage", "message/rfc822")
    response = gateway.post(REPORTS, {"subject": "壊れた添付", "eml": eml}, format="multipart")
    assert response.status_code == 201
    body = response.json()
    assert body["has_eml"] is True
    assert body["eml_parse_error"]
    stored = Report.objects.get().eml.name
    assert "broken" not in stored and ".." not in stored


def test_an_eml_fills_the_mail_fields(gateway, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    raw = (
        b"From: Keiri <keiri@evil.example>\r\nSubject: invoice\r\nMessage-ID: <a1@evil.example>\r\n"
        b"\r\nSee https://evil.example/pay\r\n"
    )
    eml = SimpleUploadedFile("mail.eml", raw, "message/rfc822")
    response = gateway.post(REPORTS, {"eml": eml}, format="multipart")
    assert response.status_code == 201
    body = response.json()
    assert body["message_id"] == "<a1@evil.example>"
    assert body["url"] == "https://evil.example/pay"


# --- Idempotency-Key ----------------------------------------------------------------------------


def test_a_retry_with_the_same_key_and_body_gets_the_first_response(gateway):
    first = gateway.post(REPORTS, MAIL, format="json", HTTP_IDEMPOTENCY_KEY="gw-0001")
    again = gateway.post(REPORTS, MAIL, format="json", HTTP_IDEMPOTENCY_KEY="gw-0001")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1


def test_the_same_key_with_another_body_is_a_conflict(gateway):
    gateway.post(REPORTS, MAIL, format="json", HTTP_IDEMPOTENCY_KEY="gw-0002")
    other = gateway.post(
        REPORTS, {**MAIL, "subject": "別件"}, format="json", HTTP_IDEMPOTENCY_KEY="gw-0002"
    )
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    assert Report.objects.count() == 1


def test_keys_are_per_requester(client_for):
    a = client_for("key_write").post(REPORTS, MAIL, format="json", HTTP_IDEMPOTENCY_KEY="k")
    b = client_for("reporter").post(REPORTS, MAIL, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


def test_a_failed_request_can_be_retried_with_its_key(gateway):
    bad = gateway.post(
        REPORTS, {**MAIL, "category": "ALIENS"}, format="json", HTTP_IDEMPOTENCY_KEY="gw-3"
    )
    assert bad.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    good = gateway.post(REPORTS, MAIL, format="json", HTTP_IDEMPOTENCY_KEY="gw-3")
    assert good.status_code == 201


def test_a_multipart_retry_with_a_new_boundary_is_the_same_request(gateway, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def post():
        eml = SimpleUploadedFile("m.eml", b"From: a@evil.example\r\nSubject: s\r\n\r\nx")
        return gateway.post(
            REPORTS, {"subject": "s", "eml": eml}, format="multipart", HTTP_IDEMPOTENCY_KEY="mp"
        )

    assert post().json() == post().json()
    assert Report.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * 201, "tab\there"])
def test_a_malformed_idempotency_key_is_refused(gateway, key):
    response = gateway.post(REPORTS, MAIL, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert Report.objects.count() == 0


# --- Reading ------------------------------------------------------------------------------------


def test_the_report_shows_its_incident_once_triaged(gateway, client_for):
    report_id = gateway.post(REPORTS, MAIL, format="json").json()["id"]
    event = Event.objects.get()
    promoted = client_for("isms_office").post(f"{API}/events/{event.pk}/promote/", {}, "json")
    polled = gateway.get(f"{REPORTS}{report_id}/").json()
    assert polled["incident"] == promoted.json()["ref"]


def test_reports_are_newest_first_and_filter_by_received_time(client_for, file_report, reporter):
    old = file_report(actor=reporter, subject="a", sender="a@a.example", url="")
    new = file_report(actor=reporter, subject="b", sender="b@b.example", url="")
    client = client_for("isms_office")
    listed = [r["id"] for r in client.get(REPORTS).json()["results"]]
    assert listed == [new.pk, old.pk]
    after = new.received_at.isoformat()
    filtered = client.get(REPORTS, {"received_after": after}).json()["results"]
    assert [r["id"] for r in filtered] == [new.pk]


def test_error_messages_follow_the_callers_language(gateway, db):
    response = gateway.get(REPORTS, {"ordering": "subject"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.json()["code"] == "invalid_ordering"
    assert "並べ替えできません" in response.json()["message"]
    english = gateway.get(REPORTS, {"ordering": "subject"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "cannot be ordered" in english.json()["message"]


def test_the_report_list_costs_the_same_queries_at_10_and_100_rows(
    client_for, file_report, reporter
):
    client = client_for("isms_office")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(REPORTS, {"page_size": 200}).status_code == 200
        return len(ctx.captured_queries)

    def file(n, start):
        for i in range(start, start + n):
            file_report(actor=reporter, subject=f"件名 {i}", sender=f"s{i}@x.example", url="")

    file(10, 0)
    at_10 = count()
    file(90, 10)
    assert count() == at_10
