"""Exercises (訓練): start one from a scenario, drive its clock (real time, accelerated or step
by step), post facts and decisions as of exercise time, pause, finish, record findings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from bcp.models import Decision
from bcp.services import decisions
from common import clock
from common.errors import Conflict, Forbidden, InvalidInput
from incidents import access as incident_access
from training import access, lifecycle, scenario
from training.enums import ClockMode, ExerciseStatus
from training.models import Exercise, ExerciseInject
from training.services import exercise_player

ONLY_RUNNERS = _("Only the ISMS office and the CSIRT lead run exercises.")
DEFAULT_SPEED = {ClockMode.REAL_TIME: 1.0, ClockMode.ACCELERATED: 60.0, ClockMode.STEPPED: 0.0}
MAX_SPEED = 3600.0


def _speed(mode: str, speed: float | None) -> float:
    if mode not in ClockMode.values:
        raise InvalidInput("invalid_choice", _("Unknown clock mode."), field="mode")
    if mode != ClockMode.ACCELERATED or speed is None:
        return DEFAULT_SPEED[mode]
    if not 1 < speed <= MAX_SPEED:
        raise InvalidInput(
            "invalid_speed", _("An accelerated clock runs 2 to 3600 times as fast."), field="speed"
        )
    return float(speed)


@transaction.atomic
def exercise_start(
    *,
    organisation: Organisation,
    actor: User,
    document: dict[str, Any],
    mode: str = ClockMode.REAL_TIME,
    speed: float | None = None,
    starts_at: datetime | None = None,
    title: str = "",
) -> Exercise:
    """Check the scenario, schedule its injects, start the clock, and play +0:00."""
    access.require(access.can_run_exercises(actor), ONLY_RUNNERS)
    try:
        checked = scenario.validate(document)
    except scenario.ScenarioError as error:
        raise InvalidInput(
            "invalid_scenario", _("The scenario is not valid."), problems=error.problems
        ) from error
    wall = clock.wall_now()
    start = starts_at or wall
    exercise = Exercise.objects.create(
        organisation=organisation,
        title=(title or checked["title"])[:200],
        scenario=checked,
        mode=mode,
        speed=_speed(mode, speed),
        starts_at=start,
        clock_at=start,
        clock_wall=wall,
        processed_to=start,
        started_by=actor,
    )
    _schedule(exercise, checked["injects"])
    exercise_player.play_until(exercise, start)
    return exercise


def _schedule(exercise: Exercise, injects: list[dict[str, Any]]) -> None:
    """The scenario's injects at their exercise times (start + offset)."""
    ExerciseInject.objects.bulk_create(
        [
            ExerciseInject(
                exercise=exercise,
                seq=n,
                at=exercise.starts_at + timedelta(minutes=item["offset_minutes"]),
                kind=item["kind"],
                payload=_payload(item),
                text=str(item.get("text") or "")[:500],
            )
            for n, item in enumerate(injects, 1)
        ]
    )


def _payload(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in ("at", "kind", "text")}


def _lock(exercise: Exercise, actor: User | None, *, participant: bool = False) -> Exercise:
    if actor is not None:
        allowed = access.can_run_exercises(actor) or (
            participant and incident_access.can_edit_incidents(actor)
        )
        access.require(allowed, ONLY_RUNNERS)
    locked = Exercise.objects.select_for_update().get(pk=exercise.pk)
    if actor is not None and locked.organisation_id != actor.organisation_id:
        raise InvalidInput("not_in_organisation", _("No such exercise."))
    return locked


def _catch_up(exercise: Exercise, to: datetime | None = None) -> datetime:
    """Play up to ``to`` (default: the clock's now) and move the anchors there."""
    if exercise.status == ExerciseStatus.FINISHED:
        raise Conflict("exercise_finished", _("The exercise is finished."))
    target = to or exercise.now()
    if target < exercise.processed_to:
        raise InvalidInput(
            "clock_backwards",
            _("The exercise clock cannot go back (it is at %(at)s).")
            % {"at": exercise.processed_to.isoformat()},
            field="to",
        )
    exercise_player.play_until(exercise, target)
    exercise.processed_to = target
    if to is not None or exercise.speed == 0 or exercise.status != ExerciseStatus.RUNNING:
        exercise.clock_at, exercise.clock_wall = target, clock.wall_now()
    exercise.save(update_fields=["processed_to", "clock_at", "clock_wall", "updated_at"])
    return target


@transaction.atomic
def exercise_advance(
    *, exercise: Exercise, actor: User | None, to: datetime | None = None
) -> Exercise:
    """Move the exercise clock to ``to`` (or to its own now), playing every inject and
    deadline on the way; ``actor`` None is the tick task."""
    exercise = _lock(exercise, actor)
    _catch_up(exercise, to)
    return exercise


@transaction.atomic
def exercise_catch_up(exercise: Exercise) -> datetime:
    """Play a running or paused exercise up to its now and answer that moment: an action on
    one of its objects from the normal screens or the API is stamped then (issue 18)."""
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    if exercise.status == ExerciseStatus.FINISHED:
        return exercise.now()
    return _catch_up(exercise)


def _transition(exercise: Exercise, actor: User, target: str) -> Exercise:
    exercise = _lock(exercise, actor)
    lifecycle.require(exercise.status, target)
    now = _catch_up(exercise)
    exercise.status = target
    exercise.clock_at, exercise.clock_wall = now, clock.wall_now()
    if target == ExerciseStatus.FINISHED:
        exercise.finished_at = now
    exercise.save()
    return exercise


@transaction.atomic
def exercise_pause(*, exercise: Exercise, actor: User) -> Exercise:
    return _transition(exercise, actor, ExerciseStatus.PAUSED)


@transaction.atomic
def exercise_resume(*, exercise: Exercise, actor: User) -> Exercise:
    return _transition(exercise, actor, ExerciseStatus.RUNNING)


@transaction.atomic
def exercise_finish(*, exercise: Exercise, actor: User, findings: str = "") -> Exercise:
    """Stop the clock; open decisions stay as they are for the after-action report."""
    exercise = _transition(exercise, actor, ExerciseStatus.FINISHED)
    if findings:
        exercise.findings = findings
        exercise.save(update_fields=["findings", "updated_at"])
    return exercise


@transaction.atomic
def exercise_findings_set(*, exercise: Exercise, actor: User, findings: str) -> Exercise:
    exercise = _lock(exercise, actor)
    exercise.findings = findings
    exercise.save(update_fields=["findings", "updated_at"])
    return exercise


@transaction.atomic
def exercise_inject(
    *, exercise: Exercise, actor: User, kind: str, payload: dict[str, Any], text: str = ""
) -> ExerciseInject:
    """An inject posted now (exercise time) by a participant or a harness, played at once as
    the poster, through the service the normal screen calls. Only the facilitator may play
    another participant (``by``). A refusal is the service's own error; nothing is kept."""
    exercise = _lock(exercise, actor, participant=True)
    if payload.get("by") and not access.can_run_exercises(actor):
        raise Forbidden(
            "only_facilitator_plays_others",
            _("Only the ISMS office and the CSIRT lead act for another participant."),
        )
    now = _catch_up(exercise)
    try:
        item = scenario.validate_inject(
            {**payload, "kind": kind, "text": text}, at=now - exercise.starts_at
        )
    except scenario.ScenarioError as error:
        raise InvalidInput(
            "invalid_inject", _("The inject is not valid."), problems=error.problems
        ) from error
    last = exercise.injects.order_by("-seq").values_list("seq", flat=True).first() or 0
    inject = ExerciseInject.objects.create(
        exercise=exercise,
        seq=last + 1,
        at=now,
        kind=kind,
        payload=_payload(item),
        text=text[:500],
        posted_by=actor,
    )
    with clock.frozen_at(now):
        refused = exercise_player.apply_inject(exercise, inject)
    if refused is not None:
        raise refused
    return inject


@transaction.atomic
def exercise_decide(
    *,
    exercise: Exercise,
    decision: Decision,
    actor: User,
    outcome: str,
    rationale: str,
    scope: str | None = None,
    redecide_by: datetime | None = None,
) -> Decision:
    """Decide an exercise decision as of exercise time (deadlines up to now are played
    first). The decider must hold the role, as in a real incident."""
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    if not exercise_player.exercise_decisions(exercise).filter(pk=decision.pk).exists():
        raise InvalidInput("not_in_exercise", _("This decision is not of the exercise."))
    now = _catch_up(exercise)
    with clock.frozen_at(now):
        return decisions.decision_decide(
            decision=decision,
            actor=actor,
            outcome=outcome,
            rationale=rationale,
            scope=scope,
            redecide_by=redecide_by,
        )


def exercises_tick() -> int:
    """Play every running exercise with a moving clock up to its now; returns how many."""
    played = 0
    ids = Exercise.objects.filter(status=ExerciseStatus.RUNNING, speed__gt=0).values_list(
        "pk", flat=True
    )
    for pk in list(ids):
        with transaction.atomic():
            exercise = Exercise.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if exercise is None or exercise.status != ExerciseStatus.RUNNING:
                continue
            _catch_up(exercise)
            played += 1
    return played
