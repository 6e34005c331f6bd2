"""Decisions: open with a deadline and an assignee (D-2), decide once (D-4..D-7), ratify.

The first decision wins: the row is locked and re-read, so of two people deciding at the same
moment one gets the result and the other a 409 that names who decided.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts import roster
from accounts.models import Organisation, User
from bcp import enums, outcomes
from bcp.enums import AssignmentReason, BcpState, DecisionStatus, Outcome, Scope
from bcp.models import Decision, DecisionAssignment, DecisionPolicy
from bcp.services import activation as bcp_activation
from common import clock, events
from common.errors import Conflict, DomainError, InvalidInput
from incidents import facts
from incidents.models import Incident
from incidents.models.enums import EFFECTIVE_INFECTION, ContainmentState
from incidents.services import tasks as incident_tasks
from incidents.services.timeline import timeline_append

BCP_TYPES = {"ACTIVATE_CYBER_BCP", "CUT_ALL_EXTERNAL_NETWORK"}
STAND_DOWN_STATUSES = {"RECOVERING", "MONITORING", "REVIEWING", "CLOSED"}


class NotEligible(DomainError):
    status_code = 403


def deadline_minutes(organisation: Organisation, decision_type: str) -> int | None:
    policy = (
        DecisionPolicy.objects.filter(organisation=organisation)
        .values_list("deadlines", flat=True)
        .first()
        or {}
    )
    value = policy.get(decision_type, enums.DEFAULT_DEADLINE_MINUTES.get(decision_type))
    return int(value) if value else None


def _plus(at: datetime, minutes: int | None) -> datetime | None:
    return at + timedelta(minutes=minutes) if minutes else None


def _assignment_reason(index: int, holder: roster.Holder) -> str:
    if holder.delegated_from is not None:
        return AssignmentReason.DELEGATED
    return AssignmentReason.PRIMARY if index == 0 else AssignmentReason.ABSENT


def _assign(decision: Decision, at: datetime) -> None:
    """Rule D-2: the first holder in the chain who is present and may take the type."""
    holders = roster.chain(organisation=decision.organisation, role=decision.required_role, at=at)
    pick = roster.first_available(holders, decision.type)
    if pick is None:
        decision.assignee, decision.overdue = None, True
        _history(decision, None, None, AssignmentReason.ABSENT, at, "no available holder")
        return
    index, holder = pick
    decision.assignee, decision.overdue = holder.user, False
    _history(decision, holder.user, holder.rank, _assignment_reason(index, holder), at)


def _who_decides(decision: Decision, at: datetime) -> dict[str, Any]:
    """Who must decide and who takes it over at the deadline, with their names (the timeline
    names them even after the roster changed)."""
    holders = roster.chain(organisation=decision.organisation, role=decision.required_role, at=at)
    after = roster.position_of(holders, decision.assignee_id)
    pick = roster.first_available(holders, decision.type, after=after) if after >= 0 else None
    deputy = pick[1].user if pick else None
    people = [p for p in (decision.assignee, deputy) if p is not None]
    return {
        "assignee": decision.assignee_id,
        "deputy": deputy.pk if deputy else None,
        "names": {str(p.pk): str(p) for p in people},
    }


def _history(
    decision: Decision,
    person: User | None,
    rank: int | None,
    reason: str,
    at: datetime,
    note: str = "",
) -> None:
    DecisionAssignment.objects.create(
        decision=decision, person=person, rank=rank, reason=reason, at=at, note=note
    )


@transaction.atomic
def decision_open(
    *,
    incident: Incident,
    decision_type: str,
    actor: User | None = None,
    recommendation: str = enums.Recommendation.NONE,
    recommended_scope: str = Scope.NONE,
    target_level: int | None = None,
    opened_by_rule: str = "",
    reason: str = "",
    at: datetime | None = None,
) -> Decision:
    """Open a decision at ``at`` (the "t" of the fact that called for it, D-1/D-2/L-E; now
    by default): its deadline runs from then, and its assignee is who was available then."""
    now = at or clock.now()
    decision = Decision.objects.create(
        organisation_id=incident.organisation_id,
        incident=incident,
        opened_by=actor,
        type=decision_type,
        required_role=enums.REQUIRED_ROLE[decision_type],
        recommendation=recommendation,
        recommended_scope=recommended_scope,
        target_level=target_level,
        opened_at=now,
        opened_by_rule=opened_by_rule,
        reason=reason,
        due_at=_plus(now, deadline_minutes(incident.organisation, decision_type)),
    )
    _assign(decision, now)
    decision.save(update_fields=["assignee", "overdue"])
    if decision_type in BCP_TYPES:
        bcp_activation.bcp_mark_pending(incident=incident)
    timeline_append(
        incident=incident,
        kind="decision.opened",
        actor=actor,
        payload={
            "decision": decision.pk,
            "type": decision_type,
            "rule": opened_by_rule,
            "due_at": decision.due_at,
            **_who_decides(decision, now),
        },
    )
    events.publish(
        "decision.opened",
        organisation_id=incident.organisation_id,
        incident=incident,
        decision=decision,
    )
    return decision


def _lock(decision: Decision) -> Decision:
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("incident", "organisation", "decided_by")
        .get(pk=decision.pk)
    )


def _require_open(locked: Decision) -> None:
    if locked.status == DecisionStatus.WITHDRAWN:
        raise Conflict(
            "DECISION_WITHDRAWN",
            _("%(who)s withdrew this decision: %(reason)s")
            % {"who": locked.withdrawn_by or "?", "reason": locked.withdrawal_reason},
            status=locked.status,
            withdrawn_at=locked.withdrawn_at.isoformat() if locked.withdrawn_at else None,
        )
    if locked.status != DecisionStatus.OPEN:
        who = str(locked.decided_by) if locked.decided_by_id else "?"
        raise Conflict(
            "DECISION_ALREADY_DECIDED",
            _("%(who)s already decided this (%(outcome)s).")
            % {"who": who, "outcome": locked.get_outcome_display() or locked.status},
            decided_by=who,
            outcome=locked.outcome,
            status=locked.status,
            decided_at=locked.decided_at.isoformat() if locked.decided_at else None,
        )


def _eligible_holder(decision: Decision, actor: User, at: datetime) -> roster.Holder:
    holders = roster.chain(organisation=decision.organisation, role=decision.required_role, at=at)
    holder = roster.holder_for(holders, actor, decision.type)
    if holder is None:
        raise NotEligible(
            "NOT_ELIGIBLE", _("You do not hold the role or the authority for this decision.")
        )
    return holder


def _validate(
    decision: Decision,
    outcome: str,
    rationale: str,
    scope: str | None,
    redecide_by: datetime | None,
    now: datetime,
) -> str:
    if outcome not in Outcome.values:
        raise InvalidInput("invalid_choice", _("Approve, decline or defer."), field="outcome")
    if not (rationale or "").strip():
        raise InvalidInput(
            "RATIONALE_REQUIRED", _("Give the reason for the decision."), field="rationale"
        )
    if outcome == Outcome.DEFERRED and (redecide_by is None or redecide_by <= now):
        raise InvalidInput(
            "REDECIDE_BY_REQUIRED",
            _("A deferred decision needs a future time to decide again."),
            field="redecide_by",
        )
    if decision.type == "ACTIVATE_CYBER_BCP" and outcome == Outcome.APPROVED:
        if scope not in (Scope.PARTIAL, Scope.FULL):
            raise InvalidInput(
                "SCOPE_REQUIRED", _("Choose a partial or a full activation."), field="scope"
            )
        return scope
    if decision.type == "CUT_ALL_EXTERNAL_NETWORK" and outcome == Outcome.APPROVED:
        return Scope.FULL
    return Scope.NONE


def snapshot(incident: Incident) -> dict[str, Any]:
    """Rule D-5: the facts shown at decision time, frozen with the decision."""
    state = bcp_activation.activation_for(incident).state
    return {**facts.incident_snapshot(incident), "bcp_state": state, "appi_status": "NOT_ASSESSED"}


def stand_down_failures(incident: Incident) -> list[dict[str, str]]:
    """Rule B-2, clause by clause: what keeps the BCP from standing down (empty: nothing)."""
    failures = []
    if incident.status not in STAND_DOWN_STATUSES:
        failures.append(
            {
                "code": "B2-RECOVERING",
                "message": str(
                    _("The incident must be recovering or later (now: %(status)s).")
                    % {"status": incident.get_status_display()}
                ),
            }
        )
    unisolated = list(
        incident.affected_assets.filter(infection_state__in=EFFECTIVE_INFECTION)
        .exclude(containment_state=ContainmentState.ISOLATED)
        .values_list("asset__asset_tag", flat=True)
        .order_by("asset__asset_tag")[:20]
    )
    if unisolated:
        failures.append(
            {
                "code": "B2-ISOLATED",
                "message": str(
                    _("Infected hosts not isolated: %(hosts)s.") % {"hosts": "、".join(unisolated)}
                ),
            }
        )
    return failures


def _check_stand_down(incident: Incident) -> None:
    """Rule B-2: stand down only once recovering, with no infected host left unisolated."""
    failures = stand_down_failures(incident)
    if failures:
        raise Conflict(
            "BCP_GUARD_FAILED",
            _("The cyber BCP cannot stand down yet: %(reasons)s")
            % {"reasons": " ".join(f["message"] for f in failures)},
            failed=failures,
            status=incident.status,
        )


@transaction.atomic
def decision_decide(
    *,
    decision: Decision,
    actor: User,
    outcome: str,
    rationale: str,
    scope: str | None = None,
    redecide_by: datetime | None = None,
) -> Decision:
    now = clock.now()
    decision = _lock(decision)
    holder = _eligible_holder(decision, actor, now)  # permission before state: 403, then 409
    _require_open(decision)
    scope = _validate(decision, outcome, rationale, scope, redecide_by, now)
    if decision.type == "BCP_STAND_DOWN" and outcome == Outcome.APPROVED:
        _check_stand_down(decision.incident)
    decision.status = DecisionStatus.DECIDED
    decision.outcome, decision.outcome_scope, decision.rationale = outcome, scope, rationale
    decision.decided_by, decision.decided_at = actor, now
    decision.decider_rank = holder.rank
    decision.decided_as_delegate = holder.delegated_from is not None
    decision.fact_snapshot = snapshot(decision.incident)
    decision.redecide_by = redecide_by if outcome == Outcome.DEFERRED else None
    # D-4: a deputy's (or delegate's) approval or refusal is ratified later.
    decision.requires_ratification = outcome != Outcome.DEFERRED and (
        holder.rank > 1 or decision.decided_as_delegate
    )
    decision.save()
    timeline_append(
        incident=decision.incident,
        kind="decision.decided",
        actor=actor,
        payload={
            "decision": decision.pk,
            "type": decision.type,
            "outcome": outcome,
            "scope": scope,
            "rationale": rationale,
            "rank": holder.rank,
            "snapshot": decision.fact_snapshot,
        },
    )
    events.publish(
        "decision.decided",
        organisation_id=decision.organisation_id,
        incident=decision.incident,
        decision=decision,
    )
    if outcome != Outcome.DEFERRED:
        _apply_implications(decision, actor)
        outcomes.run(decision, actor)
    return decision


def _apply_implications(decision: Decision, actor: User) -> None:
    """Rule D-6: what an outcome does to the BCP state, the tasks and the incident."""
    incident, outcome = decision.incident, decision.outcome
    if decision.type == "CUT_ALL_EXTERNAL_NETWORK" and outcome == Outcome.APPROVED:
        _activate(decision, actor, BcpState.ACTIVATED_FULL, cut_network=True)
        incident_tasks.task_create(
            incident=incident,
            actor=None,
            title="全社外部通信遮断の実施",
            title_en="Cut all external communication",
            code="BCP-CUT",
            owner_role="IT_ADMIN",
        )
    elif decision.type == "ACTIVATE_CYBER_BCP" and outcome == Outcome.APPROVED:
        target = (
            BcpState.ACTIVATED_FULL
            if decision.outcome_scope == Scope.FULL
            else BcpState.ACTIVATED_PARTIAL
        )
        _activate(decision, actor, target, cut_network=False)
    elif decision.type == "ACTIVATE_CYBER_BCP" and outcome == Outcome.DECLINED:
        state = bcp_activation.activation_for(incident).state
        if state == BcpState.DECISION_PENDING:
            bcp_activation.bcp_move(
                incident=incident, target=BcpState.DECLINED, actor=actor, decision=decision
            )
    elif decision.type == "CUT_ALL_EXTERNAL_NETWORK" and outcome == Outcome.DECLINED:
        bcp_activation.bcp_settle(incident=incident, actor=actor, decision=decision)
    elif decision.type == "ESTABLISH_IRT" and outcome == Outcome.APPROVED:
        Incident.objects.filter(pk=incident.pk, irt_established_at__isnull=True).update(
            irt_established_at=decision.decided_at
        )
    elif decision.type == "BCP_STAND_DOWN" and outcome == Outcome.APPROVED:
        bcp_activation.bcp_move(
            incident=incident, target=BcpState.STOOD_DOWN, actor=actor, decision=decision
        )


def _activate(decision: Decision, actor: User, target: str, *, cut_network: bool) -> None:
    incident = decision.incident
    current = bcp_activation.activation_for(incident).state
    if (
        current == BcpState.ACTIVATED_FULL
        and target == BcpState.ACTIVATED_PARTIAL
        and decision.type != "ACTIVATE_CYBER_BCP"
    ):
        return  # only an explicit partial activation steps down from full (B-3)
    if current in (BcpState.NOT_ACTIVATED, BcpState.DECLINED, BcpState.STOOD_DOWN):
        bcp_activation.bcp_move(
            incident=incident, target=BcpState.DECISION_PENDING, actor=actor, decision=decision
        )
    activation = bcp_activation.bcp_move(
        incident=incident, target=target, actor=actor, decision=decision
    )
    bcp_activation.bcp_actions_create(
        activation=activation,
        decision=decision,
        full=target == BcpState.ACTIVATED_FULL,
        cut_network=cut_network,
    )


@transaction.atomic
def decision_ratify(*, decision: Decision, actor: User) -> Decision:
    """Rule D-4: a higher-ranked holder confirms a deputy's decision."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("incident", "organisation")
        .get(pk=decision.pk)
    )
    holders = roster.chain(
        organisation=decision.organisation,
        role=decision.ratifying_role or decision.required_role,
        at=clock.now(),
    )
    ranks = [h.rank for h in holders if h.user.pk == actor.pk and h.delegated_from is None]
    if not ranks:  # permission before state: someone outside the chain hears 403, not 409
        raise NotEligible("NOT_ELIGIBLE", _("Only a higher-ranked holder of the role can ratify."))
    if not decision.requires_ratification or decision.ratified_at is not None:
        raise Conflict("NOTHING_TO_RATIFY", _("This decision needs no ratification."))
    # another role ratifies (the decision maker a refused APPI report): any holder of it.
    senior = bool(decision.ratifying_role) or any(
        rank < decision.decider_rank or (decision.decided_as_delegate and rank == 1)
        for rank in ranks
    )
    if not senior or actor.pk == decision.decided_by_id:
        raise NotEligible("NOT_ELIGIBLE", _("Only a higher-ranked holder of the role can ratify."))
    decision.ratified_by, decision.ratified_at = actor, clock.now()
    decision.save(update_fields=["ratified_by", "ratified_at", "updated_at"])
    timeline_append(
        incident=decision.incident,
        kind="decision.ratified",
        actor=actor,
        payload={"decision": decision.pk, "type": decision.type},
    )
    return decision


def pending_ratifications(incident: Incident) -> int:
    return Decision.objects.filter(
        incident=incident, requires_ratification=True, ratified_at__isnull=True
    ).count()
