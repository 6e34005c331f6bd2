from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from common import clock
from common.models import WorkerHeartbeat


def heartbeat_age_seconds(*, name: str = "worker") -> float | None:
    """Seconds since the named heartbeat, or None when no worker has ever beaten."""
    beat = WorkerHeartbeat.objects.filter(name=name).first()
    if beat is None:
        return None
    return (clock.now() - beat.beat_at).total_seconds()


def heartbeat_is_fresh(*, name: str = "worker") -> bool:
    age = heartbeat_age_seconds(name=name)
    stale_after = timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS).total_seconds()
    return age is not None and age <= stale_after
