"""The privacy side of the exercise injects: a leak of a data set of the inventory lands as the
record the leak form makes (on the exercise clock), and a scenario file uploaded on the
exercise page that breaks the schema is refused with the line it breaks it on."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from common import clock
from incidents.models import Incident
from privacy.models import DataSetLeak
from privacy.services import leaks
from tests.privacy.conftest import data_set
from training.models import Exercise

START = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
SCENARIO = {
    "title": "データセットの漏えい",
    "injects": [
        {"at": 0, "kind": "report", "reporter": "A"},
        {
            "at": 5,
            "kind": "report",
            "incident": "b",
            "reporter": "B",
            "what_happened": "RECEIVED_ONLY",
        },
    ],
}


def iso(minutes):
    return (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


@pytest.fixture
def api(isms_office, csirt_lead, decision_maker, deputy, handler):
    client = APIClient()
    client.force_authenticate(isms_office)
    return client


def _leak(incident):
    row = DataSetLeak.objects.get(incident=incident)
    return (
        row.data_set_id,
        row.kind,
        row.occurred_at,
        row.observed_at,
        row.individuals,
        row.recorded_by_id,
        row.recorded_at,
    )


def test_a_data_set_leak_inject_is_the_leak_form_s_record(api, organisation, isms_office):
    ledger = data_set(organisation)
    started = api.post(
        "/api/v1/exercises/",
        {"scenario": SCENARIO, "mode": "STEPPED", "starts_at": iso(0)},
        format="json",
    )
    assert started.status_code == 201, started.json()
    pk = started.json()["id"]
    api.post(f"/api/v1/exercises/{pk}/advance/", {"to": iso(60)}, format="json")
    posted = api.post(
        f"/api/v1/exercises/{pk}/inject/",
        {
            "kind": "leak",
            "status": "SUSPECTED",
            "data_set": "顧客台帳",
            "leak_kind": "EXFIL_SUSPECTED",
            "individuals": 120,
            "occurred": "+0:20",
            "observed": "+0:30",
        },
        format="json",
    )
    assert posted.status_code == 200, posted.json()
    main, second = Incident.objects.filter(exercise_link__exercise_id=pk).order_by("id")
    with clock.frozen_at(Exercise.objects.get(pk=pk).processed_to):
        leaks.data_leak_record(
            incident=second,
            actor=isms_office,
            data_set=ledger,
            kind="EXFIL_SUSPECTED",
            individuals=120,
            occurred_at=START + timedelta(minutes=20),
            observed_at=START + timedelta(minutes=30),
        )
    assert _leak(main) == _leak(second)
    main.refresh_from_db()
    second.refresh_from_db()
    assert main.leak_status == second.leak_status


def test_an_uploaded_scenario_that_breaks_the_schema_is_refused_with_its_line(client, isms_office):
    client.force_login(isms_office)
    text = "title: 壊れたシナリオ\ninjects:\n  - at: '+0:10'\n    kind: report\n    reporter: A\n"
    text += "  - at: '+0:20'\n    kind: isolation\n    asset: PC-1\n    method: HAMMER\n"
    page = client.post(
        reverse("training:exercise_list"),
        {
            "file": SimpleUploadedFile("bad.yaml", text.encode(), "application/yaml"),
            "mode": "STEPPED",
        },
        HTTP_ACCEPT_LANGUAGE="ja",
        follow=True,
    )
    body = page.content.decode()
    assert "9行目" in body and "HAMMER" in body
    assert not Exercise.objects.exists()
