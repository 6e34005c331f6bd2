"""Issue 18 item 1: nothing real links to an exercise object, and nothing of an exercise to a
real one — attaching a triage item, relating or marking a duplicate across the boundary is a
400 EXERCISE_BOUNDARY with a message in the user's language, and nothing changes."""

import pytest
from rest_framework.test import APIClient

from incidents.models import Event, Incident, IncidentRelation, Report
from incidents.models.enums import EventStatus
from incidents.services import triage

BOUNDARY = "exercise_boundary"


@pytest.fixture
def api(isms_office):
    client = APIClient()
    client.force_authenticate(isms_office)
    return client


@pytest.fixture
def drill(file_report, isms_office):
    """An exercise incident, flagged as the exercise player flags it."""
    report = file_report(
        reporter_email="drill@ex1.drill.invalid",
        sender='"訓練" <ex1@drill.invalid>',
        subject="【訓練 EX1】請求書",
        url="https://ex1.drill.invalid/a",
    )
    incident = triage.event_promote(event=report.event, actor=isms_office)
    Incident.objects.filter(pk=incident.pk).update(is_exercise=True)
    incident.refresh_from_db()
    return incident


@pytest.fixture
def waiting(file_report):
    """A real report waiting in triage: nothing it carries matches an incident."""
    report = file_report(
        reporter_email="sato@example.com",
        sender='"営業" <eigyo@other-evil.example>',
        subject="見積書",
        url="https://other-evil.example/q",
    )
    assert report.incident is None and report.event is not None
    return report


@pytest.mark.parametrize(
    "language,message",
    [("ja", "訓練のインシデントに統合することはできません"), ("en", "exercise incident")],
)
def test_a_real_report_cannot_be_attached_to_an_exercise_incident(
    api, drill, waiting, language, message
):
    response = api.post(
        f"/api/v1/events/{waiting.event_id}/attach/",
        {"incident": drill.ref},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert (response.status_code, response.json()["code"]) == (400, BOUNDARY)
    assert message in response.json()["message"]
    assert Event.objects.get(pk=waiting.event_id).status == EventStatus.RECEIVED
    assert Report.objects.get(pk=waiting.pk).incident_id is None
    assert not drill.timeline.filter(kind="event.attached").exists()


@pytest.mark.parametrize("kind", ["RELATED", "DUPLICATE_OF", "CAUSED_BY"])
def test_a_real_and_an_exercise_incident_cannot_be_linked_either_way(api, incident, drill, kind):
    for source, target in ((incident, drill), (drill, incident)):
        response = api.post(
            f"/api/v1/incidents/{source.ref}/relations/",
            {"incident": target.ref, "kind": kind},
            format="json",
            HTTP_ACCEPT_LANGUAGE="ja",
        )
        assert (response.status_code, response.json()["code"]) == (400, BOUNDARY)
        assert "関連付けできません" in response.json()["message"]
    assert not IncidentRelation.objects.exists()
    assert not incident.timeline.filter(kind="incident.related").exists()


def test_two_exercise_incidents_may_still_be_linked(api, drill, file_report, isms_office):
    second = file_report(
        reporter_email="drill2@ex1.drill.invalid",
        sender='"訓練" <ex1b@drill.invalid>',
        subject="【訓練 EX1】第二の事案",
        url="https://ex1b.drill.invalid/b",
    )
    caused = triage.event_promote(event=second.event, actor=isms_office)
    Incident.objects.filter(pk=caused.pk).update(is_exercise=True)
    response = api.post(
        f"/api/v1/incidents/{caused.ref}/relations/",
        {"incident": drill.ref, "kind": "CAUSED_BY"},
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_the_triage_page_offers_no_exercise_incident_to_attach_to(
    client, isms_office, incident, drill, waiting
):
    client.force_login(isms_office)
    page = client.get(f"/triage/{waiting.event_id}/").content.decode()
    assert incident.ref in page and drill.ref not in page
