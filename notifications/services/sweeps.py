"""The periodic sweeps: re-queue rows whose message was lost, alert on overdue tasks.

The requeue sweep's guarantee: a row queued by one sweep is not queued again by another sweep
whose ``now`` is less than ``ALERT_PENDING_GRACE_SECONDS`` from the first's, whatever their order
or overlap.
Overlapping sweeps skip each other's locked rows (SELECT … FOR UPDATE SKIP LOCKED, and PostgreSQL
re-checks the filter on a row committed meanwhile); a later one finds ``queued_at`` inside its grace
period. A grace period of 0 promises nothing. A row queued twice all the same (after the grace
period) is still delivered once: the worker's claim is a conditional UPDATE.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from accounts.models import Organisation
from common import clock
from incidents.models import Task
from notifications.enums import TASK_OVERDUE
from notifications.models import Alert, Notification
from notifications.services.occurrences import describe
from notifications.services.outbox import enqueue
from notifications.services.routing import alerts_write

BATCH = 500
TASK_LOOKBACK = timedelta(days=7)


def notifications_requeue(*, now: datetime | None = None) -> int:
    """Queue again the rows pending past the grace period or whose claim lapsed; each row is
    stamped ``queued_at=now``, which keeps it from every sweep whose ``now`` is less than the grace
    period after this one's."""
    now = now or clock.now()
    cutoff = now - timedelta(seconds=settings.ALERT_PENDING_GRACE_SECONDS)
    with transaction.atomic():
        ids = list(
            Notification.objects.redeliverable(now, cutoff)
            .order_by("next_attempt_at")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:BATCH]
        )
        Notification.objects.filter(pk__in=ids).update(queued_at=now)
    if ids and not enqueue(ids):
        # Broker still down: leave them due for the next tick.
        Notification.objects.filter(pk__in=ids, queued_at=now).update(queued_at=None)
    return len(ids)


def tasks_overdue_alert(*, now: datetime | None = None) -> int:
    """One alert per overdue open task (and per due date, if it is moved and missed again)."""
    now = now or clock.now()
    tasks = list(
        Task.objects.overdue(now)
        .filter(due_at__gte=now - TASK_LOOKBACK, incident__is_exercise=False)
        .select_related("incident__organisation", "owner")
        .order_by("-due_at")[:BATCH]  # the newest first: never starved by old ones
    )
    keys = {f"{TASK_OVERDUE}:{t.pk}:{int(t.due_at.timestamp())}": t for t in tasks}  # type: ignore[union-attr]
    seen = set(
        Alert.objects.filter(
            dedupe_key__startswith=f"{TASK_OVERDUE}:", subject__in=[f"task:{t.pk}" for t in tasks]
        ).values_list("dedupe_key", flat=True)
    )
    written = 0
    for key, task in keys.items():
        if any(s.startswith(key + ":") for s in seen):
            continue
        written += task_overdue_alert(task=task)
    return written


@transaction.atomic
def task_overdue_alert(*, task: Task) -> int:
    organisation: Organisation = task.incident.organisation
    occurrence = describe(
        TASK_OVERDUE, organisation=organisation, incident=task.incident, data={"task": task}
    )
    return len(alerts_write(occurrence=occurrence)) if occurrence else 0
