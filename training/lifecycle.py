"""The exercise lifecycle: a pure transition table (RUNNING ⇄ PAUSED → FINISHED)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.errors import Conflict
from training.enums import ExerciseStatus

TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (ExerciseStatus.RUNNING, ExerciseStatus.PAUSED),
        (ExerciseStatus.PAUSED, ExerciseStatus.RUNNING),
        (ExerciseStatus.RUNNING, ExerciseStatus.FINISHED),
        (ExerciseStatus.PAUSED, ExerciseStatus.FINISHED),
    }
)


def allowed(current: str, target: str) -> bool:
    return (current, target) in TRANSITIONS


def require(current: str, target: str) -> None:
    if not allowed(current, target):
        raise Conflict(
            "transition_not_allowed",
            _("An exercise cannot go from %(current)s to %(target)s.")
            % {"current": ExerciseStatus(current).label, "target": ExerciseStatus(target).label},
            allowed=sorted(t for c, t in TRANSITIONS if c == current),
        )
