"""One clock (issue 18): the exercise clock of an exercise's objects.

Registered with ``common.clock`` (training sits above incidents, bcp and privacy, which never
import it): given an incident, a decision, a task or an obligation of an exercise, or the
exercise itself, ``exercise_clock`` answers that exercise's clock — paused, scaled or stepped —
frozen at its now for the request or action; a real object gets None (the wall clock). Before
a change (``write``), the exercise is first played up to its now, so deadlines and the D-3
sweep that fell due in exercise time have moved before the action is stamped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from common.clock import Reading, Source
from incidents.models import Incident
from training.enums import ExerciseStatus
from training.models import Exercise


def exercise_of(obj: Any) -> Exercise | None:
    """The exercise an object belongs to, or None for a real one."""
    if isinstance(obj, Exercise):
        return obj
    if isinstance(obj, Incident):
        if not obj.is_exercise:
            return None
        incident_id = obj.pk
    else:
        incident_id = getattr(obj, "incident_id", None)
    if incident_id is None:
        return None
    return Exercise.objects.filter(links__incident_id=incident_id).first()


def exercise_clock(obj: Any, write: bool) -> Source | None:
    exercise = exercise_of(obj)
    if exercise is None:
        return None
    at: datetime
    if write and not isinstance(obj, Exercise) and exercise.status != ExerciseStatus.FINISHED:
        from training.services import exercises

        at = exercises.exercise_catch_up(exercise)
    else:
        # The exercise room's own actions play the exercise themselves.
        at = exercise.now()
    running = exercise.status == ExerciseStatus.RUNNING
    return Reading(at, exercise.speed if running else 0.0)


def exercise_of_route(pk: int) -> Exercise | None:
    return Exercise.objects.filter(pk=pk).first()
