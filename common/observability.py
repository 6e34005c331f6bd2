"""What a periodic job leaves for the metrics endpoint (dashboard/metrics.py) to read.

The timeline verification runs as a command (cron or by hand), not in the web process, so its
last result is kept in the shared cache (Redis in production) for the next scrape.
"""

from __future__ import annotations

from django.core.cache import cache

from common import clock

TIMELINE_VERIFY_KEY = "metrics:timeline-verify"


def record_timeline_verify(*, checked: int, broken: int) -> None:
    cache.set(
        TIMELINE_VERIFY_KEY,
        {"at": clock.now().timestamp(), "checked": checked, "broken": broken},
        timeout=None,
    )


def last_timeline_verify() -> dict | None:
    return cache.get(TIMELINE_VERIFY_KEY)
