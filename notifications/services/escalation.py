"""The acknowledgement deadline: send again and to the next holder, then flag it.

Each step is claimed with a conditional UPDATE on the step and deadline the sweep read, so two
sweeps at once escalate an alert once; the other updates 0 rows and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from accounts import roster
from accounts.models import User
from common import clock
from incidents.services.timeline import timeline_append
from notifications.models import Alert
from notifications.models.alerts import AWAITING_ACK
from notifications.services.defaults import channels_ensure_defaults
from notifications.services.outbox import Route, notifications_write

BATCH = 200


@dataclass
class EscalationResult:
    escalated: int = 0
    exhausted: int = 0


def alerts_escalate(*, now: datetime | None = None) -> EscalationResult:
    now = now or clock.now()
    result = EscalationResult()
    # Exercise incidents run on their own clock (training); their deadlines are not real ones.
    due = (
        Alert.objects.ack_due(now)
        .exclude(incident__is_exercise=True)
        .order_by("ack_due_at")
        .values_list("pk", flat=True)
    )
    for pk in list(due[:BATCH]):
        outcome = alert_escalate(pk=pk, now=now)
        result.escalated += outcome == "escalated"
        result.exhausted += outcome == "exhausted"
    return result


def _next_holder(alert: Alert, notified: set[int], at: datetime) -> User | None:
    if not alert.role:
        return None
    holders = roster.chain(organisation=alert.organisation, role=alert.role, at=at)
    after = roster.position_of(holders, alert.last_holder_id)
    for index, holder in enumerate(holders):
        if (
            index > after
            and holder.available
            and holder.covers(alert.decision_type or None)
            and holder.user.pk not in notified
        ):
            return holder.user
    return None


@transaction.atomic
def alert_escalate(*, pk: int, now: datetime) -> str:
    """One deadline passed: re-notify everyone so far plus the next holder, or flag it."""
    alert = Alert.objects.select_related("organisation", "incident").get(pk=pk)
    if not alert.awaiting_ack or alert.ack_due_at is None or alert.ack_due_at > now:
        return "skipped"
    notified = _recipients(alert)
    following = _next_holder(alert, set(notified), now)
    claim = Alert.objects.filter(AWAITING_ACK).filter(
        pk=pk, escalation_step=alert.escalation_step, ack_due_at=alert.ack_due_at
    )
    if following is None:
        if not claim.update(exhausted_at=now):
            return "skipped"
        _timeline(alert, "alert.unacknowledged", {"alert": pk, "step": alert.escalation_step})
        return "exhausted"
    step = alert.escalation_step + 1
    if not claim.update(
        escalation_step=step,
        ack_due_at=now + timedelta(seconds=alert.ack_seconds),
        last_holder=following,
    ):
        return "skipped"
    alert.refresh_from_db()
    _send_again(alert, [*notified.values(), following], now)
    payload = {"alert": pk, "step": step, "to": following.pk, "to_name": str(following)}
    _timeline(alert, "alert.escalated", payload)
    return "escalated"


def _send_again(alert: Alert, people: list[User], now: datetime) -> None:
    route = Route(tuple(alert.channel_kinds), alert.every_channel)
    notifications_write(
        alert=alert,
        recipients=[(user, route) for user in people],
        channels=channels_ensure_defaults(organisation=alert.organisation),
        step=alert.escalation_step,
        now=now,
        send_at=now,
    )


def _recipients(alert: Alert) -> dict[int, User]:
    users = User.objects.filter(notifications__alert=alert).distinct()
    return {user.pk: user for user in users}


def _timeline(alert: Alert, kind: str, payload: dict[str, Any]) -> None:
    if alert.incident_id:
        timeline_append(incident=alert.incident, kind=kind, actor=None, payload=payload)
