"""The exercise API as an external harness uses it: start stepped, advance, post facts and
decisions as of exercise time, read decisions, deadlines and tasks, get the report."""

from datetime import UTC, datetime, timedelta

import pytest
from rest_framework.test import APIClient

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def iso(minutes):
    return (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def started(api, isms_office, csirt_lead, decision_maker, deputy, handler):
    api.force_authenticate(isms_office)
    response = api.post(
        "/api/v1/exercises/",
        {"sample": "level1-isolate-to-level2-spread", "mode": "STEPPED", "starts_at": iso(0)},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def _decision(state, kind):
    return next(d for d in state["decisions"] if d["type"] == kind and d["status"] == "OPEN")


def test_a_harness_replays_a_scenario_step_by_step(api, started, isms_office, csirt_lead, deputy):
    base = f"/api/v1/exercises/{started['id']}"
    assert (started["mode"], started["speed"]) == ("STEPPED", 0.0)
    state = api.post(f"{base}/advance/", {"to": iso(70)}, format="json").json()
    assert state["exercise"]["processed_to"].startswith("2026-11-24T19:10")  # JST
    assert state["incidents"][0]["level"] == 1
    assert state["incidents"][0]["recommended_level"] == 2
    irt = _decision(state, "ESTABLISH_IRT")
    assert irt["due_at"].startswith("2026-11-24T19:40")
    assert {t["level"] for t in state["tasks"]} == {1, 2}  # D-1: issued at the gate

    api.force_authenticate(csirt_lead)
    escalate = _decision(state, "ESCALATE_LEVEL")
    decided = api.post(
        f"{base}/decide/",
        {"decision": escalate["id"], "outcome": "APPROVED", "rationale": "二次感染"},
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["incidents"][0]["level"] == 2

    api.force_authenticate(isms_office)
    state = api.post(f"{base}/advance/", {"minutes": 30}, format="json").json()
    irt = next(d for d in state["decisions"] if d["id"] == irt["id"])
    assert irt["assignee"]["id"] == deputy.pk
    assert irt["due_at"].startswith("2026-11-24T20:10")
    assert [a["reason"] for a in irt["assignments"]] == ["PRIMARY", "DEADLINE_EXPIRED"]
    assert 2 in {t["level"] for t in state["tasks"]}

    posted = api.post(
        f"{base}/inject/",
        {"kind": "leak", "status": "SUSPECTED", "text": "大量送信"},
        format="json",
    )
    assert posted.status_code == 200
    assert posted.json()["incidents"][0]["leak_status"] == "SUSPECTED"

    report = api.get(f"{base}/report/").json()
    rows = {r["type"]: r for r in report["expected_decisions"]}
    assert rows["ESCALATE_LEVEL"]["minutes_taken"] == 0.0
    assert rows["ESCALATE_LEVEL"]["decided_by"]["id"] == csirt_lead.pk
    assert rows["ESTABLISH_IRT"]["reassigned_to"][0]["id"] == deputy.pk
    assert rows["ESTABLISH_IRT"]["decided_at"] is None


def test_a_bad_decision_answers_with_the_domain_error(api, started, csirt_lead):
    base = f"/api/v1/exercises/{started['id']}"
    state = api.post(f"{base}/advance/", {"to": iso(70)}, format="json").json()
    api.force_authenticate(csirt_lead)
    irt = _decision(state, "ESTABLISH_IRT")  # a decision maker's decision
    refused = api.post(
        f"{base}/decide/",
        {"decision": irt["id"], "outcome": "APPROVED", "rationale": "x"},
        format="json",
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "NOT_ELIGIBLE")
    back = api.post(f"{base}/advance/", {"to": iso(10)}, format="json")
    assert (back.status_code, back.json()["code"]) == (400, "clock_backwards")


def test_people_without_the_role_cannot_start_and_outsiders_see_nothing(
    api, started, reporter, outsider
):
    api.force_authenticate(reporter)
    refused = api.post("/api/v1/exercises/", {"sample": "level3-leak"}, format="json")
    assert refused.status_code == 403
    api.force_authenticate(outsider)
    assert api.get(f"/api/v1/exercises/{started['id']}/state/").status_code == 404
    assert api.get("/api/v1/exercises/").json()["results"] == []


def test_the_samples_are_listed(api, isms_office):
    api.force_authenticate(isms_office)
    names = {s["name"] for s in api.get("/api/v1/exercise-scenarios/").json()}
    assert names == {
        "level1-isolate-to-level2-spread",
        "level3-leak",
        "late-infection-blocked-c2-second-incident",
    }


def test_a_scenario_can_be_posted_inline(api, isms_office):
    api.force_authenticate(isms_office)
    scenario = {
        "title": "最小の訓練",
        "injects": [{"at": "+0:00", "kind": "report", "reporter": "D", "asset": "PC-1"}],
        "expected_decisions": [],
    }
    created = api.post("/api/v1/exercises/", {"scenario": scenario}, format="json")
    assert created.status_code == 201
    state = api.get(f"/api/v1/exercises/{created.json()['id']}/state/").json()
    assert state["injects"][0]["applied_at"] is not None
    assert len(state["incidents"]) == 1
    bad = api.post("/api/v1/exercises/", {"scenario": {"title": "x", "injects": []}}, format="json")
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_scenario")
