"""Celery entry points of the privacy app: thin, idempotent."""

from celery import shared_task

from privacy.services import reminders


@shared_task(name="privacy.tasks.alert_obligations", time_limit=60, soft_time_limit=50)
def alert_obligations() -> int:
    """Every minute: alert the owners of obligations that reached their soft due or due."""
    return reminders.obligations_alert()
