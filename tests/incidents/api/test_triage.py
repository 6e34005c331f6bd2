"""/api/v1/events/: the triage queue and its commands."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import Event, Incident
from incidents.services import records
from tests.incidents.api.conftest import API

EVENTS = f"{API}/events/"


@pytest.fixture
def office(client_for):
    return client_for("isms_office")


def test_the_queue_lists_waiting_items_oldest_first(office, file_report, reporter):
    first = file_report(actor=reporter, subject="一通目", sender="a@a.example", url="")
    second = file_report(actor=reporter, subject="二通目", sender="b@b.example", url="")
    listed = office.get(EVENTS, {"status": "RECEIVED"}).json()["results"]
    assert [e["id"] for e in listed] == [first.event_id, second.event_id]
    assert listed[0]["report_count"] == 1


def test_the_detail_shows_the_reports_and_how_they_matched(office, file_report):
    first = file_report(reporter_email="a@example.com")
    file_report(reporter_email="b@example.com")
    body = office.get(f"{EVENTS}{first.event_id}/").json()
    assert body["report_count"] == 2
    assert body["reports"][0]["id"] == first.pk
    assert body["reports"][1]["matched"]["target"] == "event"


def test_promote_creates_the_incident_with_the_priority_of_the_matrix(office, waiting_event):
    response = office.post(
        f"{EVENTS}{waiting_event.pk}/promote/",
        {"category": "CREDENTIAL_PHISHING", "impact": "HIGH", "title": "偽ログイン"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["ref"].startswith("INC-")
    assert body["title"] == "偽ログイン"
    assert body["priority"] == "P1"
    assert Event.objects.get(pk=waiting_event.pk).status == "PROMOTED"


def test_promoting_twice_answers_409_and_names_who_triaged(office, client_for, waiting_event):
    office.post(f"{EVENTS}{waiting_event.pk}/promote/", {}, format="json")
    again = client_for("csirt_lead").post(f"{EVENTS}{waiting_event.pk}/promote/", {}, "json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_triaged"
    assert again.json()["details"]["status"] == "PROMOTED"
    assert Incident.objects.count() == 1


def test_attach_joins_an_open_incident(office, waiting_event, incident):
    response = office.post(
        f"{EVENTS}{waiting_event.pk}/attach/", {"incident": incident.ref}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["ref"] == incident.ref
    assert Event.objects.get(pk=waiting_event.pk).incident == incident


def test_attach_to_an_incident_of_another_organisation_is_invalid(office, waiting_event, outsider):
    theirs = records.incident_declare(
        organisation=outsider.organisation, actor=None, title="他社", category="OTHER"
    )
    response = office.post(
        f"{EVENTS}{waiting_event.pk}/attach/", {"incident": theirs.ref}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "does_not_exist"
    assert response.json()["details"]["field"] == "incident"
    assert Event.objects.get(pk=waiting_event.pk).status == "RECEIVED"


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"status": "PROMOTED", "disposition": "duplicate"}, "invalid_choice", "status"),
        ({"status": "DUPLICATE", "disposition": "maybe"}, "invalid_choice", "disposition"),
        (
            {"status": "DUPLICATE", "disposition": "not-an-incident:refuted"},
            "invalid_disposition",
            "disposition",
        ),
        ({"disposition": "duplicate"}, "required", "status"),
    ],
)
def test_closing_with_a_wrong_disposition_is_refused(office, waiting_event, body, code, field):
    response = office.post(f"{EVENTS}{waiting_event.pk}/close/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["details"]["field"] == field
    assert Event.objects.get(pk=waiting_event.pk).status == "RECEIVED"


def test_closing_as_not_an_incident_records_the_disposition(office, waiting_event, isms_office):
    response = office.post(
        f"{EVENTS}{waiting_event.pk}/close/",
        {"status": "NOT_INCIDENT", "disposition": "not-an-incident:refuted", "note": "訓練メール"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "NOT_INCIDENT"
    assert body["triaged_by"]["id"] == isms_office.pk
    assert body["time_to_triage_seconds"] >= 0


def test_the_queue_and_an_item_cost_the_same_queries_at_10_and_100_rows(
    office, file_report, reporter
):
    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert office.get(url).status_code == 200
        return len(ctx.captured_queries)

    first = file_report(actor=reporter, subject="群", sender="wave@x.example", url="")
    for i in range(9):
        file_report(actor=reporter, subject=f"件名 {i}", sender=f"s{i}@x.example", url="")
        file_report(reporter_email=f"r{i}@example.com", subject="群", sender="wave@x.example")
    queue, item = count(f"{EVENTS}?page_size=200"), count(f"{EVENTS}{first.event_id}/")
    for i in range(9, 99):
        file_report(actor=reporter, subject=f"件名 {i}", sender=f"s{i}@x.example", url="")
        file_report(reporter_email=f"r{i}@example.com", subject="群", sender="wave@x.example")
    assert count(f"{EVENTS}?page_size=200") == queue
    assert count(f"{EVENTS}{first.event_id}/") == item


@pytest.mark.parametrize("path", ["/events/", "/incidents/", "/reports/"])
def test_options_describes_the_endpoint(office, path, db):
    assert office.options(API + path).status_code == 200
