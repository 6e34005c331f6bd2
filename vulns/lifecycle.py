"""A finding's status: a pure transition table (VEX-style, issue 23).

NEW is what matching creates. "Not affected" needs a justification (``require_justified``);
a fixed or not-affected finding goes back to AFFECTED when the evidence changes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, InvalidInput
from vulns.enums import FindingStatus as S

TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (S.NEW, S.AFFECTED),
        (S.NEW, S.NOT_AFFECTED),
        (S.NEW, S.MITIGATED),
        (S.NEW, S.FIXED),
        (S.NEW, S.RISK_ACCEPTED),
        (S.AFFECTED, S.NOT_AFFECTED),
        (S.AFFECTED, S.MITIGATED),
        (S.AFFECTED, S.FIXED),
        (S.AFFECTED, S.RISK_ACCEPTED),
        (S.MITIGATED, S.AFFECTED),
        (S.MITIGATED, S.FIXED),
        (S.RISK_ACCEPTED, S.AFFECTED),
        (S.RISK_ACCEPTED, S.FIXED),
        (S.NOT_AFFECTED, S.AFFECTED),
        (S.FIXED, S.AFFECTED),
    }
)


def allowed(current: str, target: str) -> bool:
    return (current, target) in TRANSITIONS


def targets(current: str) -> list[str]:
    return [t for t in S.values if (current, t) in TRANSITIONS]


def require(current: str, target: str) -> None:
    if not allowed(current, target):
        raise Conflict(
            "transition_not_allowed",
            _("A finding cannot go from %(current)s to %(target)s.")
            % {"current": S(current).label, "target": S(target).label},
            allowed=targets(current),
        )


def require_justified(target: str, justification: str) -> None:
    """Marking a finding "not affected" says why (a VEX justification)."""
    if target == S.NOT_AFFECTED and not justification:
        raise InvalidInput(
            "justification_required",
            _("Say why the asset is not affected: choose a justification."),
        )
