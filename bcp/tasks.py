"""Celery entry points of the decision machinery: thin, idempotent."""

from celery import shared_task

from bcp.services.sweep import decisions_sweep


@shared_task(name="bcp.tasks.sweep_decisions", time_limit=60, soft_time_limit=50)
def sweep_decisions() -> dict[str, int]:
    """Reassign decisions past their deadline (D-3) and re-open deferred ones (D-7)."""
    result = decisions_sweep()
    return {"reassigned": result.reassigned, "overdue": result.overdue, "reopened": result.reopened}
