"""The closing guard, the review and corrective actions over /api/v1/."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from bcp.services import decisions
from incidents.models import AffectedAsset, Incident
from isms.models import CorrectiveAction
from tests.isms.conftest import add_action, set_status

API = "/api/v1"


@pytest.fixture
def api():
    def _as(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _as


def test_closing_with_three_conditions_violated_lists_exactly_those_three(
    api, ready, isms_office, decision_maker
):
    decisions.decision_open(incident=ready, decision_type="PUBLIC_ANNOUNCEMENT")
    AffectedAsset.objects.filter(incident=ready).update(remediation_state="CLEANED")
    Incident.objects.filter(pk=ready.pk).update(peak_level=2)
    response = api(isms_office).post(
        f"{API}/incidents/{ready.ref}/transition/", {"to": "CLOSED"}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "CLOSE_GUARD_FAILED"
    assert [row["code"] for row in body["details"]["failed"]] == [
        "C1-NO-OPEN-DECISION",
        "C1-ASSETS-RESTORED",
        "M1-CORRECTIVE-ACTION",
    ]
    assert all(row["message"] for row in body["details"]["failed"])


def test_the_refusal_speaks_the_users_language(api, incident, isms_office):
    set_status(incident, "REVIEWING")
    response = api(isms_office).post(
        f"{API}/incidents/{incident.ref}/transition/",
        {"target": "CLOSED"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    rows = response.json()["details"]["failed"]
    assert [r["code"] for r in rows] == ["C1-REVIEW", "C1-ASSETS-RESTORED"]
    assert "事後レビュー" in rows[0]["message"]


def test_closing_with_open_tasks_needs_the_waiver_reason(api, ready, isms_office):
    client = api(isms_office)
    url = f"{API}/incidents/{ready.ref}/transition/"
    refused = client.post(url, {"to": "CLOSED"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "WAIVE_REASON_REQUIRED"
    assert refused.json()["details"]["open_tasks"]
    done = client.post(url, {"to": "CLOSED", "waive_reason": "該当なし"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "CLOSED"


def test_reopening_over_the_api_needs_the_csirt_lead_and_a_reason(
    api, ready, isms_office, csirt_lead
):
    set_status(ready, "CLOSED")
    url = f"{API}/incidents/{ready.ref}/transition/"
    assert (
        api(isms_office)
        .post(url, {"to": "CONTAINING", "reason": "再感染"}, format="json")
        .status_code
        == 403
    )
    assert api(csirt_lead).post(url, {"to": "CONTAINING"}, format="json").status_code == 400
    moved = api(csirt_lead).post(url, {"to": "CONTAINING", "reason": "再感染"}, format="json")
    assert moved.json()["status"] == "CONTAINING"


def test_the_review_is_written_and_read_over_the_api(api, incident, isms_office, outsider):
    url = f"{API}/incidents/{incident.ref}/review/"
    assert api(isms_office).get(url).status_code == 404
    body = {
        "root_cause": "マクロの実行",
        "lessons": ["マクロを無効にする", " "],
        "controls": ["8.7"],
    }
    written = api(isms_office).put(url, body, format="json")
    assert written.status_code == 200
    assert written.json()["lessons"] == ["マクロを無効にする"]
    assert written.json()["complete"] is True
    assert api(isms_office).get(url).json()["controls_affected"] == ["8.7"]
    assert api(outsider).get(url).status_code == 404


def test_corrective_actions_over_the_api(api, incident, isms_office, handler, reporter):
    client = api(isms_office)
    body = {
        "incident": incident.ref,
        "title": "プロキシでのURLフィルタ強化",
        "owner": handler.pk,
        "due_on": "2030-04-30",
        "controls": ["8.23"],
        "risk_reference": "R-007",
    }
    created = client.post(f"{API}/corrective-actions/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["controls"] == ["8.23"]
    refused = client.post(f"{API}/corrective-actions/", {**body, "controls": []}, format="json")
    assert refused.json()["code"] == "CONTROLS_REQUIRED"
    changed = client.patch(
        f"{API}/corrective-actions/{pk}/", {"due_on": "2030-05-31"}, format="json"
    )
    assert changed.json()["due_on"] == "2030-05-31"
    by_control = client.get(f"{API}/corrective-actions/?control=8.23").json()["results"]
    assert [a["id"] for a in by_control] == [pk]
    assert client.get(f"{API}/corrective-actions/?control=8.7").json()["results"] == []
    done = api(handler).post(
        f"{API}/corrective-actions/{pk}/status/", {"status": "DONE"}, format="json"
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "DONE"
    assert client.get(f"{API}/corrective-actions/").json()["results"] == []  # open only
    assert len(client.get(f"{API}/corrective-actions/?view=all").json()["results"]) == 1
    assert api(reporter).post(f"{API}/corrective-actions/", body, format="json").status_code == 403


def test_the_overdue_view_lists_open_actions_past_their_date(api, incident, isms_office):
    past = add_action(incident, isms_office, due_on=date(2020, 1, 31))
    add_action(incident, isms_office, due_on=date(2099, 1, 31))
    rows = api(isms_office).get(f"{API}/corrective-actions/?view=overdue").json()["results"]
    assert [r["id"] for r in rows] == [past.pk]
    assert CorrectiveAction.objects.count() == 2


def test_the_annex_a_catalogue_has_the_93_controls(api, isms_office):
    body = api(isms_office).get(f"{API}/annex-a-controls/?page_size=100").json()
    assert len(body["results"]) == 93
    assert body["results"][0] == {
        "id": "5.1",
        "theme": "5",
        "title_ja": "情報セキュリティのための方針群",
        "title_en": "Policies for information security",
    }
