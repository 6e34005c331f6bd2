"""Quiet hours: pushed channels wait until they end, except for urgent alerts.

Urgent means a decision alert at level 2 or above; the in-app row is written at once anyway.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from accounts.models import Organisation
from notifications.services.defaults import policy_for


def in_window(local: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= local < end
    return local >= start or local < end  # the window spans midnight


def release_at(organisation: Organisation, now: datetime, *, urgent: bool) -> datetime:
    """When pushed notifications of an alert written ``now`` may go out."""
    policy = policy_for(organisation)
    start, end = policy.quiet_start, policy.quiet_end
    if urgent or start is None or end is None or start == end:
        return now
    zone = ZoneInfo(organisation.time_zone)
    local = now.astimezone(zone)
    if not in_window(local.timetz().replace(tzinfo=None), start, end):
        return now
    release = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if release <= local:
        release += timedelta(days=1)
    return release
