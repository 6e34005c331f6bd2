"""Deciding over the API: the first decision wins, the rules answer with their codes, and the
fact snapshot comes back exactly as it was stored."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bcp.models import Decision
from bcp.services import decisions
from incidents.models import TimelineEntry
from incidents.services import assets, findings
from tests.bcp.api.conftest import API


@pytest.fixture
def as_client(client_for):
    def _client(user):
        client = client_for("anonymous")
        client.force_login(user)
        return client

    return _client


@pytest.fixture
def bcp_decision(incident, decision_maker, deputy):
    return decisions.decision_open(
        incident=incident, decision_type="ACTIVATE_CYBER_BCP", reason="2台目の感染を確認"
    )


def _decide(client, decision, **body):
    body = {"outcome": "APPROVED", "scope": "PARTIAL", "rationale": "営業部を切り離す", **body}
    return client.post(f"{API}/decisions/{decision.pk}/decide/", body, format="json")


def test_the_first_decider_gets_200_and_the_second_409_naming_who_decided(
    as_client, bcp_decision, decision_maker, deputy
):
    first = _decide(as_client(decision_maker), bcp_decision)
    assert first.status_code == 200
    body = first.json()
    assert (body["status"], body["outcome"], body["outcome_scope"]) == (
        "DECIDED",
        "APPROVED",
        "PARTIAL",
    )
    assert body["decided_by"]["id"] == decision_maker.pk
    assert body["fact_snapshot"]["bcp_state"] == "DECISION_PENDING"

    second = _decide(as_client(deputy), bcp_decision, outcome="DECLINED")
    assert second.status_code == 409
    error = second.json()
    assert error["code"] == "DECISION_ALREADY_DECIDED"
    assert error["details"]["decided_by"] == str(decision_maker)
    assert str(decision_maker) in error["message"]
    bcp_decision.refresh_from_db()
    assert bcp_decision.outcome == "APPROVED"


def test_deciding_without_a_rationale_is_400_and_writes_nothing(
    as_client, bcp_decision, decision_maker
):
    response = _decide(as_client(decision_maker), bcp_decision, rationale="  ")
    assert response.status_code == 400
    assert response.json()["code"] == "RATIONALE_REQUIRED"
    assert response.json()["details"]["field"] == "rationale"
    bcp_decision.refresh_from_db()
    assert bcp_decision.status == "OPEN"
    assert not TimelineEntry.objects.filter(kind="decision.decided").exists()


def test_approving_the_bcp_without_a_scope_is_400(as_client, bcp_decision, decision_maker):
    response = _decide(as_client(decision_maker), bcp_decision, scope=None)
    assert (response.status_code, response.json()["code"]) == (400, "SCOPE_REQUIRED")


def test_deferring_needs_a_future_redecide_time(as_client, bcp_decision, decision_maker):
    client = as_client(decision_maker)
    refused = _decide(client, bcp_decision, outcome="DEFERRED", scope=None)
    assert (refused.status_code, refused.json()["code"]) == (400, "REDECIDE_BY_REQUIRED")
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    deferred = _decide(client, bcp_decision, outcome="DEFERRED", scope=None, redecide_by=later)
    assert deferred.status_code == 200
    assert deferred.json()["outcome"] == "DEFERRED"
    assert deferred.json()["requires_ratification"] is False


def test_someone_outside_the_chain_gets_403_and_nothing_is_written(
    as_client, bcp_decision, csirt_lead
):
    response = _decide(as_client(csirt_lead), bcp_decision)
    assert (response.status_code, response.json()["code"]) == (403, "NOT_ELIGIBLE")
    bcp_decision.refresh_from_db()
    assert bcp_decision.status == "OPEN"


def test_standing_down_while_the_guard_fails_is_409_bcp_guard_failed(
    as_client, incident, decision_maker
):
    stand_down = decisions.decision_open(incident=incident, decision_type="BCP_STAND_DOWN")
    response = _decide(as_client(decision_maker), stand_down, scope=None)
    assert response.status_code == 409
    assert response.json()["code"] == "BCP_GUARD_FAILED"
    assert response.json()["details"]["status"] == "DECLARED"
    stand_down.refresh_from_db()
    assert stand_down.status == "OPEN"


def test_the_snapshot_comes_back_unchanged_after_the_incident_changed(
    as_client, bcp_decision, decision_maker, handler, incident
):
    client = as_client(decision_maker)
    stored = _decide(client, bcp_decision).json()["fact_snapshot"]
    assert stored["infected_effective_count"] == 1

    pc = assets.asset_upsert(organisation_id=incident.organisation_id, asset_tag="PC-77")
    assets.affected_asset_add(
        incident=incident, actor=handler, asset=pc, infection_state="CONFIRMED"
    )
    findings.leak_record(incident=incident, actor=handler, status="SUSPECTED")

    fetched = client.get(f"{API}/decisions/{bcp_decision.pk}/").json()["fact_snapshot"]
    assert fetched == stored
    assert fetched == Decision.objects.get(pk=bcp_decision.pk).fact_snapshot
    assert fetched["leak_status"] == "NONE"
    assert decisions.snapshot(incident)["infected_effective_count"] == 2


def test_the_deputys_decision_is_ratified_by_the_primary(
    as_client, bcp_decision, decision_maker, deputy
):
    decided = _decide(as_client(deputy), bcp_decision).json()
    assert (decided["decider_rank"], decided["requires_ratification"]) == (2, True)
    url = f"{API}/decisions/{bcp_decision.pk}/ratify/"
    assert as_client(deputy).post(url).status_code == 403
    ratified = as_client(decision_maker).post(url)
    assert ratified.status_code == 200
    assert ratified.json()["ratified_by"]["id"] == decision_maker.pk
    again = as_client(decision_maker).post(url)
    assert (again.status_code, again.json()["code"]) == (409, "NOTHING_TO_RATIFY")


def test_the_detail_carries_the_assignment_history(
    as_client, bcp_decision, decision_maker, absent, incident, deputy
):
    absent(decision_maker)
    away = decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
    body = as_client(deputy).get(f"{API}/decisions/{away.pk}/").json()
    assert body["assignee"]["id"] == deputy.pk
    assert [(a["person"]["id"], a["rank"], a["reason"]) for a in body["assignments"]] == [
        (deputy.pk, 2, "ABSENT")
    ]


def test_the_list_filters_by_status_type_incident_assignee_and_overdue(
    as_client, bcp_decision, decision_maker, deputy, incident
):
    public = decisions.decision_open(incident=incident, decision_type="PUBLIC_ANNOUNCEMENT")
    Decision.objects.filter(pk=public.pk).update(overdue=True, assignee=deputy)
    client = as_client(decision_maker)

    def ids(**params):
        response = client.get(f"{API}/decisions/", params)
        assert response.status_code == 200, response.content
        return sorted(d["id"] for d in response.json()["results"])

    both = sorted([bcp_decision.pk, public.pk])
    assert ids(status="OPEN") == both
    assert ids(status="DECIDED") == []
    assert ids(type="PUBLIC_ANNOUNCEMENT") == [public.pk]
    assert ids(incident=incident.ref) == both
    assert ids(incident="INC-1999-0001") == []
    assert ids(assignee=decision_maker.pk) == [bcp_decision.pk]
    assert ids(overdue="true") == [public.pk]
    assert client.get(f"{API}/decisions/", {"status": "NOPE"}).status_code == 400


def test_the_list_query_count_does_not_grow_with_its_length(
    as_client, incident, decision_maker, deputy, django_assert_max_num_queries
):
    client = as_client(decision_maker)
    decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
    with django_assert_max_num_queries(20) as few:
        client.get(f"{API}/decisions/")
    for _ in range(15):
        decided = decisions.decision_open(incident=incident, decision_type="PUBLIC_ANNOUNCEMENT")
        decisions.decision_decide(
            decision=decided, actor=deputy, outcome="DECLINED", rationale="まだ早い"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{API}/decisions/").json()["results"]) == 16
