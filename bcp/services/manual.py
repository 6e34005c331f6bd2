"""Decisions opened by hand, and withdrawn (issue 14).

A person opens a decision the rules did not (a BCP stand-down, a staged reconnection, a public
announcement, closing as a decision); it is assigned, timed, alerted and swept exactly like the
engine's (``decision_open``). Who may open which type is the organisation's policy. Whoever may
open a type may withdraw an open decision of it, with a reason: the honest end of a decision
that no longer applies.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from accounts.roles import DecisionType
from bcp import access, enums
from bcp.enums import BcpState, DecisionStatus, Recommendation, Scope
from bcp.models import Decision, DecisionPolicy
from bcp.services import activation as bcp_activation
from bcp.services.decisions import NotEligible, decision_open
from common import clock, events
from common.errors import Conflict, InvalidInput
from incidents.models import Incident
from incidents.models.enums import IncidentStatus
from incidents.services.timeline import timeline_append


def _openers(organisation: Organisation) -> dict[str, list[str]]:
    return (
        DecisionPolicy.objects.filter(organisation=organisation)
        .values_list("openers", flat=True)
        .first()
        or {}
    )


def opener_roles(organisation: Organisation, decision_type: str) -> frozenset[str]:
    return frozenset(_openers(organisation).get(decision_type, enums.DEFAULT_OPENER_ROLES))


def openable_types(user: User, organisation: Organisation) -> list[str]:
    """The decision types the organisation's policy lets the user open (and withdraw)."""
    if getattr(user, "organisation_id", None) != organisation.pk:
        return []
    if access.incident_access.integration_scope(user) is not None:
        return []  # an integration files facts; opening a decision is for people
    roles = access.roles_held(user)
    if not roles and not user.is_superuser:
        return []
    policy = _openers(organisation)
    return [
        t
        for t in DecisionType.values
        if t not in enums.NOT_OPENED_BY_HAND
        and (user.is_superuser or roles & frozenset(policy.get(t, enums.DEFAULT_OPENER_ROLES)))
    ]


def may_open(user: User, organisation: Organisation, decision_type: str) -> bool:
    return decision_type in openable_types(user, organisation)


def _require_opener(user: User, organisation: Organisation, decision_type: str) -> None:
    if not may_open(user, organisation, decision_type):
        raise NotEligible(
            "NOT_ALLOWED_TO_OPEN",
            _("Your roles may not open or withdraw this kind of decision."),
            type=decision_type,
        )


def _check_level(incident: Incident, decision_type: str, target_level: int | None) -> None:
    if decision_type not in ("ESCALATE_LEVEL", "DEESCALATE_LEVEL"):
        return
    raising = decision_type == "ESCALATE_LEVEL"
    valid = target_level is not None and (
        incident.level < target_level <= 3 if raising else 1 <= target_level < incident.level
    )
    if not valid:
        message = (
            _("Give a level above the current one (%(level)s).")
            if raising
            else _("Give a level below the current one (%(level)s).")
        )
        raise InvalidInput(
            "TARGET_LEVEL_INVALID", message % {"level": incident.level}, field="target_level"
        )


def _check_bcp(incident: Incident, decision_type: str, scope: str) -> str:
    """B-1/B-3: a stand-down needs an active BCP; an activation while active changes its scope."""
    state = bcp_activation.activation_for(incident).state
    if decision_type == "BCP_STAND_DOWN" and state not in (
        BcpState.ACTIVATED_PARTIAL,
        BcpState.ACTIVATED_FULL,
    ):
        raise Conflict(
            "BCP_NOT_ACTIVATED",
            _("The cyber BCP is not active, so there is nothing to stand down."),
            state=state,
        )
    if decision_type != "ACTIVATE_CYBER_BCP":
        return Scope.NONE
    if state == BcpState.ACTIVATED_FULL:
        scope = scope if scope != Scope.NONE else Scope.PARTIAL
        if scope != Scope.PARTIAL:
            raise Conflict(
                "BCP_ALREADY_FULL",
                _("The cyber BCP is already fully active: only a partial scope (B-3) can follow."),
                state=state,
            )
    elif state == BcpState.ACTIVATED_PARTIAL:
        scope = scope if scope != Scope.NONE else Scope.FULL
        if scope != Scope.FULL:
            raise Conflict(
                "BCP_ALREADY_PARTIAL",
                _("The cyber BCP is already partially active: only a full scope can follow."),
                state=state,
            )
    return scope


def _validate(
    incident: Incident,
    decision_type: str,
    recommendation: str,
    scope: str,
    target_level: int | None,
    reason: str,
) -> str:
    if decision_type not in DecisionType.values:
        raise InvalidInput("invalid_choice", _("Choose a type of decision."), field="type")
    if recommendation not in Recommendation.values:
        raise InvalidInput("invalid_choice", _("Choose a recommendation."), field="recommendation")
    if scope not in Scope.values or (scope != Scope.NONE and decision_type != "ACTIVATE_CYBER_BCP"):
        raise InvalidInput(
            "SCOPE_NOT_APPLICABLE",
            _("Only the cyber-BCP activation takes a scope."),
            field="recommended_scope",
        )
    if not (reason or "").strip():
        raise InvalidInput("REASON_REQUIRED", _("Say why the decision is needed."), field="reason")
    if incident.status == IncidentStatus.CLOSED:
        raise Conflict("INCIDENT_CLOSED", _("The incident is closed."))
    if decision_type == "CLOSE_INCIDENT" and incident.status != IncidentStatus.REVIEWING:
        raise Conflict(
            "INCIDENT_NOT_REVIEWING",
            _("Closing can be put to a decision once the incident is in review."),
        )
    _check_level(incident, decision_type, target_level)
    return _check_bcp(incident, decision_type, scope)


@transaction.atomic
def decision_open_by_hand(
    *,
    incident: Incident,
    actor: User,
    decision_type: str,
    reason: str,
    recommendation: str = Recommendation.NONE,
    recommended_scope: str = Scope.NONE,
    target_level: int | None = None,
) -> Decision:
    """Open a decision of any type by hand; assignment, deadline and alerts as the engine's."""
    incident = (
        Incident.objects.select_for_update().select_related("organisation").get(pk=incident.pk)
    )
    _require_opener(actor, incident.organisation, decision_type)
    scope = _validate(
        incident, decision_type, recommendation, recommended_scope, target_level, reason
    )
    already = Decision.objects.open().filter(incident=incident, type=decision_type).first()
    if already is not None:
        raise Conflict(
            "DECISION_ALREADY_OPEN",
            _("A decision of this type is already open for this incident."),
            decision=already.pk,
        )
    return decision_open(
        incident=incident,
        decision_type=decision_type,
        actor=actor,
        recommendation=recommendation,
        recommended_scope=scope,
        target_level=target_level if decision_type.endswith("_LEVEL") else None,
        reason=reason.strip(),
    )


@transaction.atomic
def decision_withdraw(*, decision: Decision, actor: User, reason: str) -> Decision:
    """End an open decision that no longer applies: alerts and deadlines stop with it."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("incident", "organisation", "decided_by", "withdrawn_by")
        .get(pk=decision.pk)
    )
    _require_opener(actor, decision.organisation, decision.type)
    if decision.status != DecisionStatus.OPEN:
        raise Conflict(
            "DECISION_NOT_OPEN",
            _("Only an open decision can be withdrawn (this one is %(status)s).")
            % {"status": decision.get_status_display()},
            status=decision.status,
        )
    if not (reason or "").strip():
        raise InvalidInput(
            "REASON_REQUIRED", _("Say why the decision is withdrawn."), field="reason"
        )
    decision.status = DecisionStatus.WITHDRAWN
    decision.withdrawn_by, decision.withdrawn_at = actor, clock.now()
    decision.withdrawal_reason = reason.strip()
    decision.save()
    timeline_append(
        incident=decision.incident,
        kind="decision.withdrawn",
        actor=actor,
        payload={
            "decision": decision.pk,
            "type": decision.type,
            "reason": decision.withdrawal_reason,
        },
    )
    events.publish(
        "decision.withdrawn",
        organisation_id=decision.organisation_id,
        incident=decision.incident,
        decision=decision,
    )
    if decision.type in bcp_activation.BCP_DECISION_TYPES:
        bcp_activation.bcp_settle(incident=decision.incident, actor=actor, decision=decision)
    return decision
