"""Celery tasks of sharing: the retro-hunt after an import (idempotent: a sighting is made
once per item and value, so a repeated or retried run opens nothing twice)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="sharing.tasks.retrohunt_items", time_limit=600, soft_time_limit=540)
def retrohunt_items(organisation_id: int, item_ids: list[int]) -> int:
    from sharing import retrohunt

    return len(retrohunt.hunt_items(organisation_id, item_ids))
