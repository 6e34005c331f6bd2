"""The deadline sweep (D-3) and re-opening of deferred decisions (D-7).

Idempotent: each change is claimed with a conditional UPDATE on the values the sweep read, so
two sweeps at once (two workers, or a retry) make exactly one change; the other updates 0 rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from accounts import roster
from bcp.enums import AssignmentReason, DecisionStatus, Outcome
from bcp.models import Decision, DecisionAssignment
from bcp.services.decisions import deadline_minutes
from common import clock, events
from incidents.services.timeline import timeline_append

BATCH = 200


@dataclass
class SweepResult:
    reassigned: int = 0
    overdue: int = 0
    reopened: int = 0


def decisions_sweep(*, now: datetime | None = None) -> SweepResult:
    now = now or clock.now()
    result = SweepResult()
    # Exercise (訓練) incidents run on their exercise's clock: training sweeps them.
    real = Decision.objects.filter(incident__is_exercise=False)
    due = real.due(now).order_by("due_at").values_list("pk", flat=True)[:BATCH]
    for pk in list(due):
        outcome = decision_expire(pk=pk, now=now)
        if outcome == "reassigned":
            result.reassigned += 1
        elif outcome == "overdue":
            result.overdue += 1
    deferred = real.filter(
        status=DecisionStatus.DECIDED, outcome=Outcome.DEFERRED, redecide_by__lte=now
    ).values_list("pk", flat=True)
    for pk in list(deferred[:BATCH]):
        result.reopened += decision_reopen(pk=pk, now=now)
    return result


@transaction.atomic
def decision_expire(*, pk: int, now: datetime) -> str:
    """Reassign one expired decision to the next eligible holder, or flag it overdue."""
    decision = Decision.objects.select_related("organisation").get(pk=pk)
    if (
        decision.status != DecisionStatus.OPEN
        or decision.overdue
        or decision.due_at is None
        or decision.due_at > now
    ):
        return "skipped"
    holders = roster.chain(organisation=decision.organisation, role=decision.required_role, at=now)
    after = roster.position_of(holders, decision.assignee_id)
    pick = roster.first_available(holders, decision.type, after=after)
    minutes = deadline_minutes(decision.organisation, decision.type) or 0
    claim = Decision.objects.filter(
        pk=pk,
        status=DecisionStatus.OPEN,
        overdue=False,
        due_at=decision.due_at,
        assignee_id=decision.assignee_id,
    )
    if pick is None:
        if not claim.update(overdue=True):
            return "skipped"
        timeline_append(
            incident=decision.incident,
            kind="decision.overdue",
            actor=None,
            payload={"decision": pk, "type": decision.type, "assignee": decision.assignee_id},
        )
        decision.overdue = True
        events.publish(
            "decision.overdue",
            organisation_id=decision.organisation_id,
            incident=decision.incident,
            decision=decision,
        )
        return "overdue"
    _, holder = pick
    new_due = decision.due_at + timedelta(minutes=minutes)
    if not claim.update(assignee=holder.user, due_at=new_due):
        return "skipped"
    DecisionAssignment.objects.create(
        decision=decision,
        person=holder.user,
        rank=holder.rank,
        reason=AssignmentReason.DEADLINE_EXPIRED,
        at=now,
    )
    timeline_append(
        incident=decision.incident,
        kind="decision.reassigned",
        actor=None,
        payload={
            "decision": pk,
            "type": decision.type,
            "from": decision.assignee_id,
            "to": holder.user.pk,
            "due_at": new_due,
        },
    )
    previous = decision.assignee_id
    decision.refresh_from_db()
    events.publish(
        "decision.reassigned",
        organisation_id=decision.organisation_id,
        incident=decision.incident,
        decision=decision,
        previous_assignee_id=previous,
    )
    return "reassigned"


@transaction.atomic
def decision_reopen(*, pk: int, now: datetime) -> int:
    """D-7: at redecide_by a deferred decision opens again with a fresh deadline."""
    decision = Decision.objects.select_related("organisation").get(pk=pk)
    if (
        decision.outcome != Outcome.DEFERRED
        or decision.redecide_by is None
        or decision.redecide_by > now
    ):
        return 0
    minutes = deadline_minutes(decision.organisation, decision.type)
    due = decision.redecide_by + timedelta(minutes=minutes) if minutes else None
    holders = roster.chain(organisation=decision.organisation, role=decision.required_role, at=now)
    pick = roster.first_available(holders, decision.type)
    assignee = pick[1].user if pick else decision.assignee
    claimed = Decision.objects.filter(
        pk=pk,
        status=DecisionStatus.DECIDED,
        outcome=Outcome.DEFERRED,
        redecide_by=decision.redecide_by,
    ).update(
        status=DecisionStatus.OPEN,
        outcome="",
        decided_by=None,
        decided_at=None,
        decider_rank=None,
        due_at=due,
        assignee=assignee,
        overdue=pick is None,
    )
    if not claimed:
        return 0
    decision.restate_update(decided_at=None, due_at=due)  # no longer decided: out of statistics
    DecisionAssignment.objects.create(
        decision=decision,
        person=assignee,
        rank=pick[1].rank if pick else None,
        reason=AssignmentReason.PRIMARY if pick and pick[0] == 0 else AssignmentReason.ABSENT,
        at=now,
        note="re-opened after deferral",
    )
    timeline_append(
        incident=decision.incident,
        kind="decision.reopened",
        actor=None,
        payload={"decision": pk, "type": decision.type, "due_at": due},
    )
    return 1
