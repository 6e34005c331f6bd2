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
    """What the guards need to know, read once by the service (apps above incidents add theirs
    through ``incidents.extensions.register_fact_provider``)."""

    any_asset_isolated: bool = False
    any_indicator_blocked: bool = False
    all_infected_isolated: bool = True
    all_infected_remediated: bool = True
    all_network_indicators_blocked: bool = True
    all_assets_restored: bool = True
    bcp_fully_activated: bool = False
    open_tasks: int = 0  # listed and waived at close; they do not block it (C-1)
    pending_ratifications: int = 0
    # C-1 and M-1 (DOMAIN-MODEL §3.8)
    open_obligations: int = 0  # legal and contractual clocks not DONE or WAIVED
    open_decisions: int = 0
    bcp_settled: bool = True  # NOT_ACTIVATED, DECLINED or STOOD_DOWN
    review_complete: bool = False  # root cause, and lessons or an explicit "no lessons"
    management_review_required: bool = False  # M-1: peak level ≥ 2 or an APPI obligation
    corrective_action_or_reason: bool = False  # M-1: a corrective action, or why none


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
# C-1, clause by clause: each failing one is listed (CLOSE_GUARD_FAILED). Open checklist tasks
# are not a clause: the closer waives them with a reason in the same step.
C1_OBLIGATIONS = Guard(
    "C1-OBLIGATIONS",
    _("Every obligation (reports to authorities, notices) must be done or waived with a reason."),
    lambda f: f.open_obligations == 0,
)
C1_DECISIONS = Guard(
    "C1-NO-OPEN-DECISION",
    _("Every decision must be decided or withdrawn."),
    lambda f: f.open_decisions == 0,
)
C1_RATIFIED = Guard(
    "C1-RATIFIED",
    _("Decisions taken by deputies must be ratified first."),
    lambda f: f.pending_ratifications == 0,
)
C1_BCP = Guard(
    "C1-BCP-SETTLED",
    _("The cyber BCP must be stood down (or never activated, or declined)."),
    lambda f: f.bcp_settled,
)
C1_REVIEW = Guard(
    "C1-REVIEW",
    _("Write the post-incident review: the root cause, and the lessons (or that there are none)."),
    lambda f: f.review_complete,
)
C1_ASSETS = Guard(
    "C1-ASSETS-RESTORED",
    _("Every affected asset must be restored or retired."),
    lambda f: f.all_assets_restored,
)
M1_CORRECTIVE = Guard(
    "M1-CORRECTIVE-ACTION",
    _(
        "The incident goes to the management review (level 2 or higher, or legal obligations): "
        "record at least one corrective action, or why none is needed."
    ),
    lambda f: not f.management_review_required or f.corrective_action_or_reason,
)
CLOSE_GUARDS = (
    C1_OBLIGATIONS,
    C1_DECISIONS,
    C1_RATIFIED,
    C1_BCP,
    C1_REVIEW,
    C1_ASSETS,
    M1_CORRECTIVE,
)

TRANSITIONS: dict[tuple[str, str], tuple[Guard, ...]] = {
    (DECLARED, CONTAINING): (G_CONTAINED,),
    (CONTAINING, ERADICATING): (G_ALL_ISOLATED,),
    (ERADICATING, RECOVERING): (G_REMEDIATED,),
    (RECOVERING, MONITORING): (G_RESTORED,),
    (MONITORING, REVIEWING): (),
    (REVIEWING, CLOSED): CLOSE_GUARDS,
    # Re-infection cycles back (NIST r2); the service also does this automatically.
    (RECOVERING, CONTAINING): (),
    (MONITORING, CONTAINING): (),
    # A new infection found after closing: the CSIRT lead reopens with a reason; nothing is
    # cleared, and the incident must satisfy C-1 again to close.
    (CLOSED, CONTAINING): (),
}

# Transitions only some roles may make, and that need a reason on the record.
REOPEN = (CLOSED, CONTAINING)
REASON_REQUIRED = frozenset({REOPEN})

# The timestamp an entry into a status records on the incident.
STATUS_TIMESTAMP = {
    CONTAINING: "contained_at",
    ERADICATING: "eradicated_at",
    RECOVERING: "recovered_at",
    CLOSED: "closed_at",
}


def allowed_targets(status: str) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == status]


def guard_report(current: str, target: str, facts: IncidentFacts) -> list[tuple[Guard, bool]]:
    """Every guard of a transition with whether it holds now (the lifecycle panel)."""
    return [(guard, guard.check(facts)) for guard in TRANSITIONS.get((current, target), ())]


def failed_guards(current: str, target: str, facts: IncidentFacts) -> list[Guard] | None:
    """None when the transition does not exist; otherwise the guards that do not hold."""
    guards = TRANSITIONS.get((current, target))
    if guards is None:
        return None
    return [guard for guard in guards if not guard.check(facts)]
