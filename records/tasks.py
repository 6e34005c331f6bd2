"""Celery entry points of the records app: thin, idempotent (a kit is made only when its
content changed; the file of a version is written once)."""

from __future__ import annotations

from celery import shared_task

from accounts.models import Organisation
from records import services
from records.pdf import kit_file_write


@shared_task(
    name="records.tasks.regenerate_kit",
    acks_late=True,
    time_limit=180,
    soft_time_limit=150,
    autoretry_for=(OSError,),
    max_retries=3,
    retry_backoff=True,
)
def regenerate_kit(organisation_id: int, reason: str) -> int | None:
    """Make the organisation's kit current and keep its PDF under ISMS_VAR_DIR."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return None  # deleted since: nothing to print
    kit, _made = services.kit_regenerate(organisation=organisation, reason=reason)
    kit_file_write(kit)
    return kit.version


@shared_task(name="records.tasks.sweep_kits", acks_late=True, time_limit=1800, soft_time_limit=1700)
def sweep_kits() -> int:
    """Daily: every organisation's kit current (a phone number edited on a profile, an event
    lost while the broker was down)."""
    made = 0
    for organisation_id in Organisation.objects.values_list("pk", flat=True):
        organisation = Organisation.objects.get(pk=organisation_id)
        kit, was_made = services.kit_regenerate(organisation=organisation, reason="sweep")
        kit_file_write(kit)
        made += was_made
    return made
