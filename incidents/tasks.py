"""Celery entry points of the incident record: thin and idempotent."""

from celery import shared_task

from incidents.services.checkpoints import timeline_anchor_all
from incidents.services.intake_admin import idempotency_records_purge
from incidents.services.mailbox import mailboxes_poll


@shared_task(name="incidents.tasks.purge_idempotency_records", time_limit=120, soft_time_limit=100)
def purge_idempotency_records() -> int:
    """Delete Idempotency-Key records older than a day."""
    return idempotency_records_purge()


@shared_task(name="incidents.tasks.anchor_timelines", time_limit=600, soft_time_limit=540)
def anchor_timelines() -> int:
    """Write the signed checkpoints of the timeline heads (and mail them where configured)."""
    return timeline_anchor_all()


@shared_task(name="incidents.tasks.poll_report_mailboxes", time_limit=600, soft_time_limit=540)
def poll_report_mailboxes() -> int:
    """Take the new messages of every reporting mailbox once each (idempotent: UID receipts)."""
    return mailboxes_poll()
