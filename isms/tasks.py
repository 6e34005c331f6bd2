"""Celery entry points of the isms app: thin, idempotent."""

from celery import shared_task

from isms.services import reminders


@shared_task(name="isms.tasks.remind_corrective_actions", time_limit=300, soft_time_limit=280)
def remind_corrective_actions() -> int:
    """Hourly: remind owners (and the ISMS office) of corrective actions due within a week or
    overdue; once per due date, once more when overdue."""
    return reminders.corrective_actions_remind()
