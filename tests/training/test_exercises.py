"""Exercises in drill mode: injects through the real services on the exercise clock, deadlines
and the D-3 sweep on that clock, and never a mix with real incidents."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import translation

from bcp.models import Decision, DecisionAssignment
from bcp.services.sweep import decisions_sweep
from common.errors import Conflict, InvalidInput
from incidents.models import Asset, Incident, Report, TimelineEntry
from incidents.services import intake
from tests.incidents.conftest import PHISH
from training import scenario
from training.models import Exercise
from training.services import exercises

WALL = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # exercise time, not the wall's


def at(hours=0, minutes=0):
    return START + timedelta(hours=hours, minutes=minutes)


@pytest.fixture
def level2_scenario():
    return scenario.samples()["level1-isolate-to-level2-spread"]


@pytest.fixture
def cast(csirt_lead, decision_maker, deputy, isms_office, handler):
    return {"lead": csirt_lead, "president": decision_maker, "deputy": deputy}


@pytest.fixture
def stepped(organisation, isms_office, cast, level2_scenario):
    with time_machine.travel(WALL, tick=False):
        return exercises.exercise_start(
            organisation=organisation,
            actor=isms_office,
            document=level2_scenario,
            mode="STEPPED",
            starts_at=START,
        )


def _advance(exercise, actor, to):
    with time_machine.travel(WALL + timedelta(minutes=1), tick=False):
        return exercises.exercise_advance(exercise=exercise, actor=actor, to=to)


def _open(exercise):
    return {
        d.type: d
        for d in Decision.objects.filter(incident__exercise_link__exercise=exercise, status="OPEN")
    }


def test_the_first_report_starts_an_exercise_incident_on_the_exercise_clock(stepped, isms_office):
    _advance(stepped, isms_office, at(minutes=10))
    incident = Incident.objects.get(exercise_link__exercise=stepped)
    assert incident.is_exercise
    assert incident.declared_at == at(minutes=10)
    assert incident.title.startswith("【訓練】")
    affected = incident.affected_assets.get()
    assert affected.asset.asset_tag == f"EX{stepped.pk}-PC-12"
    assert (affected.infection_state, affected.containment_state) == ("SUSPECTED", "ISOLATED")
    entries = TimelineEntry.objects.filter(incident=incident)
    assert {e.at for e in entries} == {at(minutes=10)}


def test_the_exercise_clock_drives_decision_deadlines_and_the_sweep(stepped, isms_office, cast):
    _advance(stepped, isms_office, at(hours=1, minutes=10))  # PC-15 infected: level 2 rules
    opened = _open(stepped)
    assert set(opened) == {
        "ESCALATE_LEVEL",
        "ESTABLISH_IRT",
        "ACTIVATE_CYBER_BCP",
        "CUT_ALL_EXTERNAL_NETWORK",
    }
    assert opened["ESCALATE_LEVEL"].opened_at == at(hours=1, minutes=10)
    assert opened["ESCALATE_LEVEL"].due_at == at(hours=1, minutes=25)
    assert opened["ESTABLISH_IRT"].due_at == at(hours=1, minutes=40)
    assert opened["ESTABLISH_IRT"].assignee == cast["president"]

    _advance(stepped, isms_office, at(hours=1, minutes=39))  # one minute before: nothing moves
    irt = Decision.objects.get(pk=opened["ESTABLISH_IRT"].pk)
    assert (irt.assignee, irt.due_at) == (cast["president"], at(hours=1, minutes=40))
    escalate = Decision.objects.get(pk=opened["ESCALATE_LEVEL"].pk)
    assert escalate.overdue  # the CSIRT lead has no deputy: flagged at +1:25

    _advance(stepped, isms_office, at(hours=2))
    irt.refresh_from_db()
    assert (irt.assignee, irt.due_at) == (cast["deputy"], at(hours=2, minutes=10))
    moved = DecisionAssignment.objects.get(decision=irt, reason="DEADLINE_EXPIRED")
    assert (moved.person, moved.at) == (cast["deputy"], at(hours=1, minutes=40))
    entry = TimelineEntry.objects.get(
        incident=irt.incident, kind="decision.reassigned", payload__decision=irt.pk
    )
    assert entry.at == at(hours=1, minutes=40)


def test_the_real_sweep_never_touches_exercise_decisions(stepped, isms_office, cast):
    _advance(stepped, isms_office, at(hours=1, minutes=10))
    before = {d.pk: (d.assignee_id, d.due_at, d.overdue) for d in _open(stepped).values()}
    result = decisions_sweep(now=at(hours=30))
    after = {d.pk: (d.assignee_id, d.due_at, d.overdue) for d in _open(stepped).values()}
    assert (result.reassigned, result.overdue) == (0, 0)
    assert after == before


def test_a_decision_is_taken_as_of_exercise_time(stepped, isms_office, cast):
    _advance(stepped, isms_office, at(hours=1, minutes=20))
    escalate = _open(stepped)["ESCALATE_LEVEL"]
    with time_machine.travel(WALL + timedelta(minutes=3), tick=False):
        decided = exercises.exercise_decide(
            exercise=stepped,
            decision=escalate,
            actor=cast["lead"],
            outcome="APPROVED",
            rationale="2台目の感染を確認",
        )
    assert decided.decided_at == at(hours=1, minutes=20)
    assert Incident.objects.get(exercise_link__exercise=stepped).level == 2


def test_facts_posted_during_the_run_are_played_at_once(stepped, isms_office):
    _advance(stepped, isms_office, at(minutes=15))
    with time_machine.travel(WALL + timedelta(minutes=2), tick=False):
        inject = exercises.exercise_inject(
            exercise=stepped,
            actor=isms_office,
            kind="leak",
            payload={"status": "SUSPECTED"},
            text="プロキシで大量送信",
        )
    assert (inject.at, inject.error) == (at(minutes=15), "")
    assert Incident.objects.get(exercise_link__exercise=stepped).leak_status == "SUSPECTED"


def test_the_clock_does_not_go_back(stepped, isms_office):
    _advance(stepped, isms_office, at(minutes=30))
    with pytest.raises(InvalidInput) as refused:
        _advance(stepped, isms_office, at(minutes=20))
    assert refused.value.code == "clock_backwards"


def test_exercise_reports_never_join_a_real_incident_and_real_ones_never_join_the_exercise(
    organisation, stepped, isms_office, file_report, reporter
):
    from incidents.services import triage

    real = triage.event_promote(
        event=file_report(actor=reporter, asset_label="PC-99").event, actor=isms_office
    )
    _advance(stepped, isms_office, at(minutes=30))
    drill = Incident.objects.get(exercise_link__exercise=stepped)
    assert drill != real
    assert Report.objects.filter(incident=drill).count() == 2
    later = intake.report_submit(
        organisation=organisation, actor=reporter, data=intake.ReportInput(**PHISH)
    )
    assert later.incident == real
    assert not Asset.objects.filter(asset_tag="PC-12").exists()


def test_a_finished_exercise_stops_its_clock(stepped, isms_office):
    _advance(stepped, isms_office, at(minutes=30))
    with time_machine.travel(WALL + timedelta(minutes=5), tick=False):
        exercises.exercise_finish(exercise=stepped, actor=isms_office, findings="初動は良好")
    stepped.refresh_from_db()
    assert (stepped.status, stepped.finished_at) == ("FINISHED", at(minutes=30))
    with pytest.raises(Conflict):
        _advance(stepped, isms_office, at(hours=1))


def test_an_invalid_scenario_is_refused_with_its_problems(organisation, isms_office):
    document = {"title": "x", "injects": [{"at": "+0:10", "kind": "infection"}]}
    with pytest.raises(InvalidInput) as refused, translation.override("en"):
        exercises.exercise_start(organisation=organisation, actor=isms_office, document=document)
    problems = " ".join(refused.value.details["problems"])
    assert "asset" in problems and "report" in problems
    assert not Exercise.objects.exists()


def test_the_isolation_inject_records_the_isolation_and_nothing_else(stepped, isms_office):
    _advance(stepped, isms_office, at(hours=1, minutes=45))  # PC-15 isolated at +1:45
    incident = Incident.objects.get(exercise_link__exercise=stepped)
    pc15 = incident.affected_assets.get(asset__asset_tag=f"EX{stepped.pk}-PC-15")
    facts = incident.facts.filter(asset=pc15.asset, kind__startswith="ASSET_").order_by("id")
    assert [(f.kind, f.data["to"]) for f in facts] == [
        ("ASSET_INFECTION", "SUSPECTED"),
        ("ASSET_CONTAINMENT", "ISOLATED"),
    ]
    assert (pc15.infection_state, pc15.containment_state) == ("SUSPECTED", "ISOLATED")


def test_an_inject_entered_late_runs_the_rules_from_when_it_was_learned(
    organisation, isms_office, cast, level2_scenario
):
    late = {
        **level2_scenario,
        "injects": [
            *(i for i in level2_scenario["injects"] if i["kind"] != "infection"),
            {
                "at": "+1:10",
                "kind": "infection",
                "asset": "PC-15",
                "state": "SUSPECTED",
                "observed": "+0:55",
                "text": "15分前にEDRが検知していた",
            },
        ],
    }
    with time_machine.travel(WALL, tick=False):
        exercise = exercises.exercise_start(
            organisation=organisation,
            actor=isms_office,
            document=late,
            mode="STEPPED",
            starts_at=START,
        )
    _advance(exercise, isms_office, at(hours=1, minutes=10))
    irt = _open(exercise)["ESTABLISH_IRT"]
    assert (irt.opened_at, irt.due_at) == (at(minutes=55), at(hours=1, minutes=25))


def test_a_scenario_cannot_learn_a_fact_after_it_is_entered():
    document = {
        "title": "x",
        "injects": [
            {"at": "+0:10", "kind": "report", "reporter": "A"},
            {"at": "+0:20", "kind": "leak", "status": "SUSPECTED", "observed": "+0:30"},
        ],
    }
    with pytest.raises(scenario.ScenarioError) as refused, translation.override("en"):
        scenario.validate(document)
    assert "observed" in " ".join(refused.value.problems)
