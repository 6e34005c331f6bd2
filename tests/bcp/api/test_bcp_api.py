"""An incident's cyber BCP over the API: its state, and actions recorded as done and restored."""

import pytest

from bcp.models import BcpActivation
from bcp.services import decisions
from incidents.models import TimelineEntry
from incidents.services import triage
from tests.bcp.api.conftest import API


@pytest.fixture
def activated(incident, decision_maker):
    decision = decisions.decision_open(incident=incident, decision_type="ACTIVATE_CYBER_BCP")
    decisions.decision_decide(
        decision=decision,
        actor=decision_maker,
        outcome="APPROVED",
        scope="PARTIAL",
        rationale="縮退",
    )
    return incident.bcp_activation


def test_an_incident_without_a_bcp_decision_reads_not_activated_and_nothing_is_written(
    client_for, incident
):
    response = client_for("handler").get(f"{API}/bcp-activations/{incident.ref}/")
    assert response.status_code == 200
    assert response.json() == {
        "incident": incident.ref,
        "state": "NOT_ACTIVATED",
        "scope_note": "",
        "activated_at": None,
        "stood_down_at": None,
        "decision": None,
        "actions": [],
    }
    assert not BcpActivation.objects.exists()


def test_an_approved_partial_activation_shows_its_state_and_actions(client_for, activated):
    body = client_for("handler").get(f"{API}/bcp-activations/{activated.incident.ref}/").json()
    assert body["state"] == "ACTIVATED_PARTIAL"
    assert [a["kind"] for a in body["actions"]] == ["DEGRADED_OPERATION"]
    listed = client_for("handler").get(f"{API}/bcp-activations/", {"state": "ACTIVATED_PARTIAL"})
    assert [a["incident"] for a in listed.json()["results"]] == [activated.incident.ref]


def test_an_action_is_done_once_then_restored_once(client_for, activated, handler):
    action = activated.actions.get()
    base = f"{API}/incidents/{activated.incident.ref}/bcp-actions/{action.pk}"
    client = client_for("handler")
    early = client.post(f"{base}/restore/")
    assert (early.status_code, early.json()["code"]) == (409, "NOT_RESTORABLE")
    done = client.post(f"{base}/execute/")
    assert done.status_code == 200
    assert done.json()["executed_by"]["id"] == handler.pk
    twice = client.post(f"{base}/execute/")
    assert (twice.status_code, twice.json()["code"]) == (409, "ALREADY_EXECUTED")
    restored = client.post(f"{base}/restore/")
    assert restored.status_code == 200 and restored.json()["restored_at"]
    kinds = TimelineEntry.objects.filter(kind__startswith="bcp.action").values_list(
        "kind", flat=True
    )
    assert list(kinds) == ["bcp.action_executed", "bcp.action_restored"]


def test_an_action_of_another_incident_is_404(
    client_for, activated, file_report, reporter, isms_office
):
    other = triage.event_promote(
        event=file_report(
            actor=reporter, subject="別", sender="o@o.example", url="https://o.example/"
        ).event,
        actor=isms_office,
    )
    action = activated.actions.get()
    url = f"{API}/incidents/{other.ref}/bcp-actions/{action.pk}/execute/"
    assert client_for("handler").post(url).status_code == 404
