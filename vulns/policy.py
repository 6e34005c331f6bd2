"""The due date of a finding from the organisation's policy (issue 23, step 4).

By severity, shortened for a known exploited vulnerability (CISA KEV) and for an asset that
faces the internet; a known exploited flaw on an internet-facing asset is due within
``kev_internet_hours`` (72 h by default). The shortest applicable period wins.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from vulns.enums import Severity
from vulns.models import DuePolicy

URGENT = (Severity.CRITICAL, Severity.HIGH)


def policy_of(organisation_id: int) -> DuePolicy:
    """The organisation's policy, or the defaults (not written) when it has none."""
    found = DuePolicy.objects.filter(organisation_id=organisation_id).first()
    return found or DuePolicy(organisation_id=organisation_id)


def due_period(
    policy: DuePolicy, *, severity: str, kev_listed: bool, internet_facing: bool
) -> timedelta:
    periods = [policy.by_severity()[severity]]
    if kev_listed:
        periods.append(timedelta(days=policy.kev_days))
    if internet_facing and severity in URGENT:
        periods.append(timedelta(days=policy.internet_critical_days))
    if kev_listed and internet_facing:
        periods.append(timedelta(hours=policy.kev_internet_hours))
    return min(periods)


def due_at(
    policy: DuePolicy,
    *,
    found_at: datetime,
    severity: str,
    kev_listed: bool,
    internet_facing: bool,
) -> datetime:
    return found_at + due_period(
        policy, severity=severity, kev_listed=kev_listed, internet_facing=internet_facing
    )


def severity_of_score(score: float | None) -> str:
    """The CVSS qualitative rating of a base score (v3.1 and v4.0 use the same bands)."""
    if score is None or score == 0:
        return Severity.NONE
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    return Severity.LOW
