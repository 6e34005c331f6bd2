"""Celery entry points of the vulns app: thin, idempotent."""

from celery import shared_task

from vulns.services import feeds, owner_tasks


@shared_task(name="vulns.tasks.poll_feeds", time_limit=600, soft_time_limit=570)
def poll_feeds() -> dict[str, int]:
    """Poll every enabled advisory feed once; a feed another poll holds is skipped."""
    outcomes: dict[str, int] = {}
    for feed_id in feeds.feeds_due():
        outcome = feeds.feed_poll(feed_id).outcome
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@shared_task(name="vulns.tasks.sweep_finding_tasks", time_limit=300, soft_time_limit=280)
def sweep_finding_tasks() -> dict[str, int]:
    """Every five minutes: give asset owners their tasks, alert them before and at the due
    date (once each; see vulns.services.owner_tasks)."""
    result = owner_tasks.finding_tasks_sweep()
    return {
        "created": result.created,
        "closed": result.closed,
        "before": result.before,
        "due": result.due,
    }
