"""The incident's cyber-BCP activation: state changes and execution actions (B-1..B-3, D-6)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bcp import lifecycle
from bcp.enums import BcpActionKind, BcpState
from bcp.models import BcpAction, BcpActivation, BcpPlanService, Decision
from common import clock, events
from common.errors import Conflict, InvalidInput
from incidents import access
from incidents.models import Incident
from incidents.services.timeline import timeline_append


def activation_for(incident: Incident, *, lock: bool = False) -> BcpActivation:
    activation, _ = BcpActivation.objects.get_or_create(incident=incident)
    if lock:
        activation = BcpActivation.objects.select_for_update().get(pk=activation.pk)
    return activation


def bcp_move(
    *, incident: Incident, target: str, actor: User | None, decision: Decision | None = None
) -> BcpActivation:
    """Move the state along the table; the caller holds the transaction."""
    activation = activation_for(incident, lock=True)
    if activation.state == target:
        return activation
    if not lifecycle.can_move(activation.state, target):
        raise Conflict(
            "BCP_TRANSITION_NOT_ALLOWED",
            _("The cyber BCP cannot go from %(current)s to %(target)s.")
            % {"current": activation.state, "target": target},
        )
    previous = activation.state
    activation.state = target
    now = clock.now()
    if target in lifecycle.ACTIVATED and activation.activated_at is None:
        activation.activated_at = now
    if target == BcpState.STOOD_DOWN:
        activation.stood_down_at = now
    activation.decision = decision or activation.decision
    activation.save()
    timeline_append(
        incident=incident,
        kind="bcp.state_changed",
        actor=actor,
        payload={"from": previous, "to": target, "decision": decision.pk if decision else None},
    )
    events.publish(
        "bcp.state_changed",
        organisation_id=incident.organisation_id,
        incident=incident,
        previous=previous,
        state=target,
    )
    return activation


def bcp_mark_pending(*, incident: Incident) -> BcpActivation:
    """B-1: a BCP or cut-off decision opened; an activated BCP stays as it is (D-1b)."""
    activation = activation_for(incident, lock=True)
    if lifecycle.can_move(activation.state, BcpState.DECISION_PENDING):
        return bcp_move(incident=incident, target=BcpState.DECISION_PENDING, actor=None)
    return activation


BCP_DECISION_TYPES = ("ACTIVATE_CYBER_BCP", "CUT_ALL_EXTERNAL_NETWORK")


def bcp_settle(*, incident: Incident, actor: User | None, decision: Decision) -> BcpActivation:
    """A BCP decision ended without activating (withdrawn, or a cut-off declined): when no
    other BCP decision is still open, a pending BCP goes back to where it stood (B-1)."""
    activation = activation_for(incident, lock=True)
    if activation.state != BcpState.DECISION_PENDING:
        return activation
    others = Decision.objects.filter(
        incident=incident, type__in=BCP_DECISION_TYPES, status="OPEN"
    ).exclude(pk=decision.pk)
    if others.exists():
        return activation
    declined = Decision.objects.filter(
        incident=incident, type__in=BCP_DECISION_TYPES, outcome="DECLINED"
    ).exists()
    if activation.stood_down_at is not None:
        target = BcpState.STOOD_DOWN
    else:
        target = BcpState.DECLINED if declined else BcpState.NOT_ACTIVATED
    return bcp_move(incident=incident, target=target, actor=actor, decision=decision)


def bcp_actions_create(
    *, activation: BcpActivation, decision: Decision, full: bool, cut_network: bool
) -> list[BcpAction]:
    actions = []
    if cut_network:
        actions.append(
            BcpAction(
                activation=activation,
                decision=decision,
                kind=BcpActionKind.CUT_EXTERNAL_NETWORK,
                description="全社外部通信遮断の実施",
                owner_role="IT_ADMIN",
            )
        )
    else:
        actions.append(
            BcpAction(
                activation=activation,
                decision=decision,
                kind=BcpActionKind.DEGRADED_OPERATION,
                description="縮退運転・手作業への移行",
                owner_role="DEPT_MANAGER",
            )
        )
    if full or cut_network:
        services = BcpPlanService.objects.filter(
            organisation_id=activation.incident.organisation_id
        ).order_by("order", "id")
        actions += [
            BcpAction(
                activation=activation,
                decision=decision,
                kind=BcpActionKind.STOP_SERVICE,
                description=f"停止 / Stop: {service.name}"[:300],
                owner_role="IT_ADMIN",
            )
            for service in services
        ]
    return BcpAction.objects.bulk_create(actions)


@transaction.atomic
def bcp_action_record(*, action: BcpAction, actor: User, step: str) -> BcpAction:
    """Record that an action was executed, or later restored."""
    access.require(access.can_edit_incidents(actor), "record BCP actions")
    action = BcpAction.objects.select_for_update().select_related("activation").get(pk=action.pk)
    now = clock.now()
    if step == "execute":
        if action.executed_at:
            raise Conflict("ALREADY_EXECUTED", _("This action was already recorded as done."))
        action.executed_at, action.executed_by = now, actor
    elif step == "restore":
        if not action.executed_at or action.restored_at:
            raise Conflict("NOT_RESTORABLE", _("Only an executed action can be restored, once."))
        action.restored_at, action.restored_by = now, actor
    else:
        raise InvalidInput("invalid_step", _("Use execute or restore."), field="step")
    action.save()
    timeline_append(
        incident=action.activation.incident,
        kind=f"bcp.action_{step}d",
        actor=actor,
        payload={"action": action.pk, "kind": action.kind},
    )
    return action
