"""Celery entry points of the alerts (queue ``alerts``): thin, idempotent, time-limited.

A delivery's time limit stays below ALERT_LEASE_SECONDS, so a claim cannot lapse while its
worker is still sending.
"""

from celery import shared_task
from django.conf import settings

from notifications.services import delivery, escalation, sweeps


@shared_task(name="notifications.tasks.deliver", acks_late=True, time_limit=14, soft_time_limit=12)
def deliver(notification_id: int) -> str:
    """Deliver one outbox row (a no-op when another worker holds or finished it)."""
    return delivery.notification_deliver(pk=notification_id)


@shared_task(
    name="notifications.tasks.deliver_many", acks_late=True, time_limit=14, soft_time_limit=12
)
def deliver_many(notification_ids: list[int]) -> list[str]:
    """Deliver a few outbox rows in turn, each claimed just before its send (its own lease);
    rows not started after the budget (the soft limit minus one send's timeout and a second)
    are queued again. One message and one task for a burst's rows instead of one per row."""
    budget = deliver_many.soft_time_limit - settings.ALERT_HTTP_TIMEOUT_SECONDS - 1
    return delivery.notifications_deliver(pks=notification_ids, budget=budget)


@shared_task(name="notifications.tasks.sweep_pending", time_limit=60, soft_time_limit=50)
def sweep_pending() -> int:
    """Re-queue rows whose message was lost (broker down at commit, worker killed)."""
    return sweeps.notifications_requeue()


@shared_task(name="notifications.tasks.sweep_acknowledgements", time_limit=60, soft_time_limit=50)
def sweep_acknowledgements() -> dict[str, int]:
    """Re-notify and escalate alerts not acknowledged by their deadline."""
    result = escalation.alerts_escalate()
    return {"escalated": result.escalated, "exhausted": result.exhausted}


@shared_task(name="notifications.tasks.sweep_tasks_overdue", time_limit=60, soft_time_limit=50)
def sweep_tasks_overdue() -> int:
    """Alert on open tasks past their due time (no domain event exists for that)."""
    return sweeps.tasks_overdue_alert()
