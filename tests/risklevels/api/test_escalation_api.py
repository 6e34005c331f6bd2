import pytest
from rest_framework.test import APIClient

from bcp.models import Decision
from bcp.services import decisions
from risklevels.models import EscalationParams


@pytest.fixture
def api():
    def _as(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _as


def test_marking_a_second_pc_infected_answers_with_the_level_2_recommendation_and_reason(
    api, incident, handler, decision_maker, csirt_lead
):
    response = api(handler).post(
        f"/api/v1/incidents/{incident.ref}/facts/",
        {"kind": "infection", "asset_tag": "PC-20", "state": "SUSPECTED"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["level"], body["recommended_level"]) == (1, 2)
    reasons = {r["rule_id"]: r["text"] for r in body["reasons"]}
    assert "L2-a" in reasons and "[L2-a]" in reasons["L2-a"]
    escalation = Decision.objects.get(incident=incident, type="ESCALATE_LEVEL")
    assert escalation.assignee == csirt_lead
    assert Decision.objects.get(incident=incident, type="ESTABLISH_IRT").assignee == (
        decision_maker
    )


def test_reasons_are_explained_in_the_users_language(api, incident, handler):
    api(handler).post(
        f"/api/v1/incidents/{incident.ref}/facts/",
        {"kind": "infection", "asset_tag": "PC-21", "state": "CONFIRMED"},
        format="json",
    )
    ja = (
        api(handler)
        .get(f"/api/v1/incidents/{incident.ref}/escalation/", HTTP_ACCEPT_LANGUAGE="ja")
        .json()
    )
    en = (
        api(handler)
        .get(f"/api/v1/incidents/{incident.ref}/escalation/", HTTP_ACCEPT_LANGUAGE="en")
        .json()
    )
    assert en["reasons"][0]["text"].startswith("2 PCs infected")
    assert ja["level_name"].startswith("1 ")


def test_a_fact_without_its_required_fields_is_400_and_changes_nothing(api, incident, handler):
    response = api(handler).post(
        f"/api/v1/incidents/{incident.ref}/facts/", {"kind": "infection"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert incident.affected_assets.count() == 1


def test_reporter_cannot_record_facts_and_outsider_cannot_see(api, incident, reporter, outsider):
    url = f"/api/v1/incidents/{incident.ref}/facts/"
    body = {"kind": "leak", "status": "SUSPECTED"}
    assert api(reporter).post(url, body, format="json").status_code == 404
    assert api(outsider).post(url, body, format="json").status_code == 404
    assert api(outsider).get(f"/api/v1/incidents/{incident.ref}/trend/").status_code == 404


def test_trend_lists_the_counts_in_time_order(api, incident, handler):
    api(handler).post(
        f"/api/v1/incidents/{incident.ref}/facts/",
        {"kind": "infection", "asset_tag": "PC-22", "state": "SUSPECTED"},
        format="json",
    )
    points = api(handler).get(f"/api/v1/incidents/{incident.ref}/trend/").json()["results"]
    assert [p["effective"] for p in points] == [1, 2]


def test_parameters_are_versioned_and_only_the_isms_office_changes_them(api, isms_office, handler):
    assert api(handler).get("/api/v1/escalation-params/").json()["version"] == 1
    refused = api(handler).post(
        "/api/v1/escalation-params/", {"infected_threshold": 3}, format="json"
    )
    assert refused.status_code == 403
    created = api(isms_office).post(
        "/api/v1/escalation-params/", {"infected_threshold": 3}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["version"] == 2
    assert list(EscalationParams.objects.values_list("version", "infected_threshold")) == [
        (1, 2),
        (2, 3),
    ]


def test_invalid_threshold_is_400(api, isms_office):
    response = api(isms_office).post(
        "/api/v1/escalation-params/", {"infected_threshold": 0}, format="json"
    )
    assert response.status_code == 400


def test_level_definitions_are_seeded_and_editable_by_the_isms_office(api, isms_office, handler):
    levels = api(handler).get("/api/v1/level-definitions/").json()
    assert [(d["level"], d["name_ja"]) for d in levels] == [(1, "隔離"), (2, "拡散"), (3, "漏えい")]
    url = f"/api/v1/level-definitions/{levels[0]['id']}/"
    assert api(handler).patch(url, {"name_en": "X"}, format="json").status_code == 403
    assert api(isms_office).patch(url, {"name_en": "Isolated"}, format="json").status_code == 200


def test_lowering_the_level_opens_a_deescalation_decision(api, incident, handler, csirt_lead):
    api(handler).post(
        f"/api/v1/incidents/{incident.ref}/facts/",
        {"kind": "infection", "asset_tag": "PC-23", "state": "SUSPECTED"},
        format="json",
    )
    up = Decision.objects.get(incident=incident, type="ESCALATE_LEVEL")
    decisions.decision_decide(decision=up, actor=csirt_lead, outcome="APPROVED", rationale="2台")
    response = api(csirt_lead).post(
        f"/api/v1/incidents/{incident.ref}/escalation/lower/",
        {"target": 1, "reason": "誤検知"},
        format="json",
    )
    assert response.status_code == 201
    assert Decision.objects.get(pk=response.json()["decision"]).type == "DEESCALATE_LEVEL"
