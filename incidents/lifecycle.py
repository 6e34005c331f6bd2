"""The incident lifecycle as a transition table (DOMAIN-MODEL §3.1). Plain Python, no database.

Each transition names its guards; a guard is a function of an ``IncidentFacts`` that returns
True when the transition may happen. A failed guard's code goes back to the client (HTTP 409).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

DECLARED, CONTAINING, ERADICATING, RECOVERING, MONITORING, REVIEWING, CLOSED = (
    "DECLARED",
    "CONTAINING",
    "ERADICATING",
    "RECOVERING",
    "MONITORING",
    "REVIEWING",
    "CLOSED",
)


@dataclass(frozen=True)
class IncidentFacts:
    """What the guards need to know, read once by the service."""

    any_asset_isolated: bool = False
    any_indicator_blocked: bool = False
    all_infected_isolated: bool = True
    all_infected_remediated: bool = True
    all_network_indicators_blocked: bool = True
    all_assets_restored: bool = True
    bcp_fully_activated: bool = False
    open_tasks: int = 0
    recurrence_prevention_written: bool = False
    pending_ratifications: int = 0


@dataclass(frozen=True)
class Guard:
    code: str
    message: str
    check: Callable[[IncidentFacts], bool]


G_CONTAINED = Guard(
    "G-CONTAINMENT-STARTED",
    _("Isolate at least one affected asset or block at least one indicator first."),
    lambda f: f.any_asset_isolated or f.any_indicator_blocked,
)
G_ALL_ISOLATED = Guard(
    "G-ALL-ISOLATED",
    _("Every infected asset must be isolated first."),
    lambda f: f.all_infected_isolated,
)
G_REMEDIATED = Guard(
    "G-REMEDIATED",
    _(
        "Every infected asset must be cleaned, reimaged or retired, and every C2/URL/domain "
        "indicator blocked."
    ),
    lambda f: f.all_infected_remediated and f.all_network_indicators_blocked,
)
G_RESTORED = Guard(
    "G-RESTORED",
    _(
        "Every affected asset must be restored or retired, and the cyber BCP must not be fully "
        "activated."
    ),
    lambda f: f.all_assets_restored and not f.bcp_fully_activated,
)
# C-1: closing needs the checklist done or waived, a recurrence-prevention note and no
# deputy decision waiting for ratification (D-4).
G_CHECKLIST_DONE = Guard(
    "G-CHECKLIST-DONE",
    _("Every task must be done or waived with a reason."),
    lambda f: f.open_tasks == 0,
)
G_RECURRENCE_NOTE = Guard(
    "G-RECURRENCE-NOTE",
    _("Write the recurrence-prevention note first."),
    lambda f: f.recurrence_prevention_written,
)
G_RATIFIED = Guard(
    "G-RATIFIED",
    _("Decisions taken by deputies must be ratified first."),
    lambda f: f.pending_ratifications == 0,
)

TRANSITIONS: dict[tuple[str, str], tuple[Guard, ...]] = {
    (DECLARED, CONTAINING): (G_CONTAINED,),
    (CONTAINING, ERADICATING): (G_ALL_ISOLATED,),
    (ERADICATING, RECOVERING): (G_REMEDIATED,),
    (RECOVERING, MONITORING): (G_RESTORED,),
    (MONITORING, REVIEWING): (),
    (REVIEWING, CLOSED): (G_CHECKLIST_DONE, G_RECURRENCE_NOTE, G_RATIFIED),
    # Re-infection cycles back (NIST r2); the service also does this automatically.
    (RECOVERING, CONTAINING): (),
    (MONITORING, CONTAINING): (),
}

# The timestamp an entry into a status records on the incident.
STATUS_TIMESTAMP = {
    CONTAINING: "contained_at",
    ERADICATING: "eradicated_at",
    RECOVERING: "recovered_at",
    CLOSED: "closed_at",
}


def allowed_targets(status: str) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == status]


def failed_guards(current: str, target: str, facts: IncidentFacts) -> list[Guard] | None:
    """None when the transition does not exist; otherwise the guards that do not hold."""
    guards = TRANSITIONS.get((current, target))
    if guards is None:
        return None
    return [guard for guard in guards if not guard.check(facts)]
