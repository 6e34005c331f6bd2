"""Celery entry points of the training app: thin, idempotent."""

from celery import shared_task

from training.services import exercises, reminders


@shared_task(name="training.tasks.exercises_tick", time_limit=60, soft_time_limit=50)
def exercises_tick() -> int:
    """Play running exercises up to their clock's now: injects, and the deadline sweep (D-3,
    D-7) of exercise decisions on the exercise clock (the real sweep skips them)."""
    return exercises.exercises_tick()


@shared_task(name="training.tasks.remind_due_training", time_limit=300, soft_time_limit=280)
def remind_due_training() -> int:
    """Daily: remind people whose required training is due soon or overdue."""
    return reminders.training_reminders_publish()
