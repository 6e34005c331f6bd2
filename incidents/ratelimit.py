"""Rate limit of the reporting link, kept in the cache (a fixed one-hour window per address).

The link is public by design (contractors without an account use it), so one client address
must not be able to flood the triage queue with reports.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600
DEFAULT_LIMIT_PER_HOUR = 20


def limit_per_hour() -> int:
    return int(getattr(settings, "REPORT_LINK_LIMIT_PER_HOUR", DEFAULT_LIMIT_PER_HOUR))


def link_submission_allowed(address: str) -> bool:
    """Count one submission from ``address``; False once it is over the hourly limit."""
    key = "ratelimit:report-link:" + hashlib.sha256(address.encode()).hexdigest()
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= limit_per_hour()
