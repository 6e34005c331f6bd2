"""Acceptance: a sample exercise runs accelerated (60×) through the real services, driven by
the tick task like the running app's beat, and produces an after-action report with the
decision times; its incidents appear nowhere in real statistics. No wall-clock sleeps: the
wall clock is moved with time-machine."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from bcp.models import Decision
from incidents.models import Incident
from training import scenario, tasks
from training.selectors import after_action_report, real_incidents
from training.services import exercises

WALL = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)


def _open(exercise, kind):
    return Decision.objects.get(
        incident__exercise_link__exercise=exercise, type=kind, status="OPEN"
    )


@pytest.mark.parametrize("speed", [60])
def test_accelerated_sample_exercise_produces_an_after_action_report_with_decision_times(
    organisation,
    isms_office,
    csirt_lead,
    decision_maker,
    deputy,
    handler,
    speed,
    file_report,
    reporter,
):
    from incidents.services import triage

    real = triage.event_promote(
        event=file_report(actor=reporter, asset_label="PC-99").event, actor=isms_office
    )
    with time_machine.travel(WALL, tick=False) as wall:
        exercise = exercises.exercise_start(
            organisation=organisation,
            actor=isms_office,
            document=scenario.samples()["level1-isolate-to-level2-spread"],
            mode="ACCELERATED",
            speed=speed,
        )
        start = exercise.starts_at
        assert start == WALL

        # 75 wall seconds = 75 exercise minutes: the level-2 rules fired at +1:10.
        wall.move_to(WALL + timedelta(seconds=75))
        assert tasks.exercises_tick() == 1
        escalate = _open(exercise, "ESCALATE_LEVEL")
        assert escalate.opened_at == start + timedelta(minutes=70)

        # The CSIRT lead decides at +1:18 (8 minutes, within the 15-minute deadline).
        wall.move_to(WALL + timedelta(seconds=78))
        exercises.exercise_decide(
            exercise=exercise,
            decision=escalate,
            actor=csirt_lead,
            outcome="APPROVED",
            rationale="2台目の感染とC2通信の疑い",
        )
        # The president does not decide by +1:40: the sweep, on the exercise clock, hands
        # the three decisions to the deputy, who decides them at +1:50.
        wall.move_to(WALL + timedelta(seconds=110))
        tasks.exercises_tick()
        irt = _open(exercise, "ESTABLISH_IRT")
        assert irt.assignee == deputy
        for kind, outcome, scope in (
            ("ESTABLISH_IRT", "APPROVED", None),
            ("ACTIVATE_CYBER_BCP", "APPROVED", "PARTIAL"),
            ("CUT_ALL_EXTERNAL_NETWORK", "DECLINED", None),
        ):
            exercises.exercise_decide(
                exercise=exercise,
                decision=_open(exercise, kind),
                actor=deputy,
                outcome=outcome,
                rationale="訓練での判断",
                scope=scope,
            )
        wall.move_to(WALL + timedelta(seconds=130))
        tasks.exercises_tick()
        exercise = exercises.exercise_finish(
            exercise=exercise, actor=isms_office, findings="社長不在時の委譲が機能した"
        )

    report = after_action_report(exercise)
    rows = {row.expected["type"]: row for row in report.expected}
    assert set(rows) == {
        "ESCALATE_LEVEL",
        "ESTABLISH_IRT",
        "ACTIVATE_CYBER_BCP",
        "CUT_ALL_EXTERNAL_NETWORK",
    }
    assert rows["ESCALATE_LEVEL"].decision.decided_by == csirt_lead
    assert rows["ESCALATE_LEVEL"].took == timedelta(minutes=8)
    assert rows["ESCALATE_LEVEL"].on_time is True
    assert rows["ESTABLISH_IRT"].decision.decided_by == deputy
    assert rows["ESTABLISH_IRT"].took == timedelta(minutes=40)
    assert rows["ESTABLISH_IRT"].late_by == timedelta(minutes=10)
    assert rows["ESTABLISH_IRT"].on_time is False
    assert [a.person for a in rows["ESTABLISH_IRT"].reassignments] == [deputy]
    assert (report.decided, report.decided_on_time) == (4, 1)
    assert report.exercise.findings == "社長不在時の委譲が機能した"
    assert report.tasks_total > 0

    drill = Incident.objects.get(exercise_link__exercise=exercise)
    assert drill.level == 2 and drill.is_exercise
    assert list(real_incidents(organisation_id=organisation.pk)) == [real]
