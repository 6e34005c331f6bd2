"""Reminders of corrective actions that fall due or are overdue, through the alert channels."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Q

from common import clock, events
from isms.models import CorrectiveAction

REMIND_BEFORE = timedelta(days=7)


def _today_of(action: CorrectiveAction) -> date:
    return clock.now().astimezone(ZoneInfo(action.organisation.time_zone)).date()


def corrective_actions_remind(*, on: date | None = None) -> int:
    """Publish ``corrective_action.due`` for each open action due within a week (once per due
    date) and once more when it is overdue, in the organisation's own day. Each reminder is
    claimed by a conditional update, so two runs at once (or a retry) remind once."""
    horizon = (on or clock.now().date()) + REMIND_BEFORE + timedelta(days=1)  # any time zone
    candidates = (
        CorrectiveAction.objects.open()
        .filter(due_on__lte=horizon)
        .filter(
            Q(reminded_for__isnull=True) | ~Q(reminded_for=F("due_on")) | Q(reminded_overdue=False)
        )
        .select_related("organisation", "incident", "owner")
    )
    return sum(_remind(action, on or _today_of(action)) for action in candidates.iterator())


@transaction.atomic
def _remind(action: CorrectiveAction, today: date) -> int:
    if action.due_on > today + REMIND_BEFORE:
        return 0
    overdue = action.due_on < today
    claim = CorrectiveAction.objects.filter(pk=action.pk, status="OPEN", due_on=action.due_on)
    if overdue:
        claimed = claim.filter(reminded_overdue=False).update(
            reminded_overdue=True, reminded_for=action.due_on
        )
    else:
        claimed = claim.exclude(reminded_for=action.due_on).update(reminded_for=action.due_on)
    if not claimed:
        return 0
    events.publish(
        "corrective_action.due",
        organisation_id=action.organisation_id,
        incident=action.incident,
        action=action,
        due_on=action.due_on,
        overdue=overdue,
    )
    return 1
