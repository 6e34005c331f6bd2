"""Acceptance (issue 18): a scenario that records a late-observed infection, a blocked C2
connection and a second incident plays end to end through the exercise API, and its
after-action report lists each decision with its exercise-time deadline and outcome."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from bcp.models import Decision
from incidents.models import AffectedAsset, Fact, Incident, IncidentRelation

START = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 09:00 in Tokyo
SAMPLE = "late-infection-blocked-c2-second-incident"


def iso(minutes):
    return (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def at(minutes):
    return START + timedelta(minutes=minutes)


@pytest.fixture
def api(isms_office, csirt_lead, decision_maker, deputy, handler):
    client = APIClient()
    client.force_authenticate(isms_office)
    return client


def test_the_late_infection_blocked_c2_second_incident_scenario_plays_through_the_api(
    api, client, isms_office
):
    started = api.post(
        "/api/v1/exercises/",
        {"sample": SAMPLE, "mode": "STEPPED", "starts_at": iso(0)},
        format="json",
    )
    assert started.status_code == 201, started.json()
    base = f"/api/v1/exercises/{started.json()['id']}"

    # Step by step as a harness drives it: to +0:50, then the rest.
    state = api.post(f"{base}/advance/", {"to": iso(50)}, format="json").json()
    main = Incident.objects.get(ref=state["incidents"][0]["ref"])
    infection = Fact.objects.get(
        incident=main, kind="ASSET_INFECTION", asset__asset_tag__endswith="PC-32"
    )
    assert (infection.occurred_at, infection.observed_at) == (at(5), at(35))
    assert AffectedAsset.objects.get(
        incident=main, asset__asset_tag__endswith="PC-32"
    ).malware_capability == ("RAT")
    # The rules ran from when it was learned (+0:35), not when it was entered (+0:40).
    opened = {d["type"]: d for d in state["decisions"]}
    assert opened["ESTABLISH_IRT"]["opened_at"].startswith("2026-11-24T09:35")
    c2 = Fact.objects.get(incident=main, kind="EXTERNAL_COMM")
    assert c2.data["blocked"] is True and c2.data["bytes_sent"] == 52000
    assert (c2.occurred_at, c2.data["last_seen_at"]) == (at(20), at(44).isoformat())

    state = api.post(f"{base}/advance/", {"to": iso(130)}, format="json").json()
    assert [i["error"] for i in state["injects"] if i["error"]] == []
    assert len(state["incidents"]) == 2
    second = Incident.objects.get(ref=state["incidents"][1]["ref"])
    assert IncidentRelation.objects.filter(incident=second, related=main, kind="CAUSED_BY")
    assert second.is_exercise

    # The facilitator plays the IRT decision through the inject API, as its assignee.
    irt = next(d for d in state["decisions"] if d["type"] == "ESTABLISH_IRT")
    decided = api.post(
        f"{base}/inject/",
        {
            "kind": "decide",
            "type": "ESTABLISH_IRT",
            "outcome": "APPROVED",
            "rationale": "感染2台",
            "by": User.objects.get(pk=irt["assignee"]["id"]).username,
        },
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    api.post(f"{base}/finish/", {"findings": "感染の判明が遅れた"}, format="json")

    report = api.get(f"{base}/report/").json()
    rows = {r["type"]: r for r in report["expected_decisions"]}
    assert set(rows) == {"ESCALATE_LEVEL", "ESTABLISH_IRT", "ACTIVATE_CYBER_BCP"}
    for row in rows.values():
        assert row["first_due_at"] is not None  # every decision has its exercise-time deadline
        assert row["outcome_label"]  # and its outcome (or status) in words
    escalate = rows["ESCALATE_LEVEL"]
    assert escalate["outcome"] == "APPROVED" and escalate["minutes_taken"] == 25.0
    assert escalate["first_due_at"].startswith("2026-11-24T09:50")  # opened +0:35, 15 min
    assert (escalate["target_minutes"], escalate["met_target"]) == (30.0, True)
    assert rows["ESTABLISH_IRT"]["outcome"] == "APPROVED"
    # Decided after its deadline (the chain ran out first): late, in words, not a raw flag.
    irt_row = rows["ESTABLISH_IRT"]
    assert (irt_row["deadline_state"], irt_row["overdue"]) == ("LATE", True)
    assert irt_row["deadline_label"] == f"{irt_row['minutes_late']:.0f} 分超過"
    assert rows["ACTIVATE_CYBER_BCP"]["deadline_state"] == "OVERDUE"
    assert rows["ACTIVATE_CYBER_BCP"]["decided_at"] is None
    police = report["expected_obligations"][0]
    assert (police["kind"], police["status"], police["matched_status"]) == (
        "POLICE_CONSULT",
        "DONE",
        True,
    )
    assert (police["minutes_taken"], police["target_minutes"], police["met_target"]) == (
        30.0,
        60.0,
        True,
    )

    # The page says the same in words, in local time.
    client.force_login(isms_office)
    page = client.get(
        reverse("training:exercise_report", args=[started.json()["id"]]),
        HTTP_ACCEPT_LANGUAGE="ja",
    ).content.decode()
    assert "9:50（+0:50）" in page or "09:50（+0:50）" in page  # the escalation's deadline
    assert "承認" in page  # its outcome in words
    assert "警察" in page  # the expected obligation by its name
    for code in ("ESCALATE_LEVEL", "APPROVED", "POLICE_CONSULT", "+00:00", "None"):
        assert code not in page
    text = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1])
    assert irt_row["deadline_label"] in text and "期限超過・未判断" in text
    for raw in ("True", "False", "true", "false", "overdue", "LATE", "OVERDUE"):
        assert not re.search(rf"\b{raw}\b", text), raw  # no raw value anywhere on the page
    assert "件中" in text  # the alerts acknowledged, in words
    # Every decision of the exercise, expected or not, is listed with its exercise-time
    # deadline and its outcome (or status) in words.
    decisions = [*rows.values(), *report["other_decisions"]]
    assert len(decisions) == Decision.objects.filter(incident__is_exercise=True).count() >= 4
    for row in decisions:
        due = datetime.fromisoformat(row["first_due_at"])
        offset = int((due - START).total_seconds() // 60)
        shown = f"{due:%H:%M}（+{offset // 60}:{offset % 60:02d}）"
        assert shown in text, (row["type"], shown)
        assert row["outcome_label"] in text
