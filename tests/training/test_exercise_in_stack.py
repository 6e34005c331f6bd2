"""Acceptance in the running app: the embedded stack (`make run`: SQLite, filesystem broker,
gunicorn + Celery worker + beat) plays a sample exercise accelerated 600× — ten exercise
minutes a wall second — by the beat-driven ``training.tasks.exercises_tick``: the injects open
the level-2 decisions, the exercise clock's sweep hands the president's to the deputy at +1:40,
the deputy decides, and the after-action report carries the decision times. No real incident
is created, and the real deadline sweep touches nothing of the exercise."""

from __future__ import annotations

import json

import pytest

from tests.bcp.test_sweep_in_stack import SWEEP_SECONDS, RunningStack, running  # noqa: F401
from tests.common.stack import manage, wait_until

pytestmark = pytest.mark.integration

# A deadline, not a measure: +1:40 of exercise time is 10 wall seconds at 600×; a loaded
# machine's beat, broker and worker take longer, and the exercise clock runs on regardless.
PLAYED_SECONDS = 180

START = """
import json
from accounts.services import organisation_create, role_assign, user_create
from training import scenario
from training.services import exercises

org = organisation_create(name="演習株式会社")
people = {}
for name, role, rank in [("isms", "ISMS_OFFICE", 1), ("lead", "CSIRT_LEAD", 1),
                         ("president", "DECISION_MAKER", 1), ("deputy", "DECISION_MAKER", 2)]:
    people[name] = user_create(organisation=org, username=name, password=None)
    role_assign(organisation=org, role=role, user=people[name], priority=rank)
exercise = exercises.exercise_start(
    organisation=org, actor=people["isms"], mode="ACCELERATED", speed=600,
    document=scenario.samples()["level1-isolate-to-level2-spread"],
)
print(json.dumps({"exercise": exercise.pk, "deputy": people["deputy"].pk}))
"""

FINISH = """
import json
from accounts.models import User
from bcp.models import Decision
from training.models import Exercise
from training.selectors import after_action_report, real_incidents
from training.services import exercises

exercise = Exercise.objects.get(pk=%(exercise)d)
deputy = User.objects.get(username="deputy")
irt = Decision.objects.get(incident__exercise_link__exercise=exercise, type="ESTABLISH_IRT")
exercises.exercise_decide(
    exercise=exercise, decision=irt, actor=deputy, outcome="APPROVED", rationale="訓練"
)
exercise = exercises.exercise_finish(exercise=exercise, actor=exercise.started_by)
report = after_action_report(exercise)
rows = {row.expected["type"]: row for row in report.expected}
print(json.dumps({
    "irt_by": rows["ESTABLISH_IRT"].decision.decided_by_id,
    "irt_minutes": rows["ESTABLISH_IRT"].took.total_seconds() / 60,
    "irt_late": rows["ESTABLISH_IRT"].late_by is not None,
    "irt_reassigned": [a.person_id for a in rows["ESTABLISH_IRT"].reassignments],
    "escalate_overdue": rows["ESCALATE_LEVEL"].decision.overdue,
    "real_incidents": real_incidents(organisation_id=exercise.organisation_id).count(),
}))
"""


def _reassigned(stack: RunningStack) -> list[tuple]:
    return stack.query(
        "SELECT a.person_id FROM bcp_decisionassignment a "
        "JOIN bcp_decision d ON d.id = a.decision_id "
        "WHERE d.type = 'ESTABLISH_IRT' AND a.reason = 'DEADLINE_EXPIRED'"
    )


def test_a_sample_exercise_runs_accelerated_in_the_running_app(running):  # noqa: F811
    started = json.loads(manage("shell", "-c", START, env=running.env).stdout.splitlines()[-1])

    def reassigned() -> list[tuple]:
        assert running.process.poll() is None, running.output()
        return _reassigned(running)

    wait_until(reassigned, PLAYED_SECONDS, interval=SWEEP_SECONDS / 2, what=running.output)
    assert reassigned() == [(started["deputy"],)]
    assert running.query("SELECT is_exercise FROM incidents_incident") == [(1,)]

    done = manage("shell", "-c", FINISH % started, env=running.env)
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["irt_by"] == started["deputy"]
    assert report["irt_reassigned"] == [started["deputy"]]
    assert report["irt_late"] is True and report["irt_minutes"] > 30
    assert report["escalate_overdue"] is True  # the CSIRT lead had no deputy
    assert report["real_incidents"] == 0
