"""Due dates from the organisation's policy, at the boundaries (issue 23, step 4)."""

from datetime import UTC, datetime, timedelta

import pytest

from vulns.enums import Severity
from vulns.models import DuePolicy
from vulns.policy import due_at, due_period, severity_of_score

FOUND = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _period(**facts):
    return due_period(DuePolicy(), **facts)


def test_a_known_exploited_flaw_on_an_internet_facing_asset_is_due_in_72_hours():
    at = due_at(
        DuePolicy(),
        found_at=FOUND,
        severity=Severity.CRITICAL,
        kev_listed=True,
        internet_facing=True,
    )
    assert at == FOUND + timedelta(hours=72)


def test_kev_and_internet_exposure_alone_each_give_their_own_period():
    assert _period(severity=Severity.CRITICAL, kev_listed=True, internet_facing=False) == (
        timedelta(days=14)
    )
    assert _period(severity=Severity.LOW, kev_listed=True, internet_facing=False) == timedelta(
        days=14
    )
    assert _period(severity=Severity.CRITICAL, kev_listed=False, internet_facing=True) == (
        timedelta(days=7)
    )
    assert _period(severity=Severity.HIGH, kev_listed=False, internet_facing=True) == timedelta(
        days=7
    )
    # Internet exposure shortens only critical and high findings.
    assert _period(severity=Severity.MEDIUM, kev_listed=False, internet_facing=True) == (
        timedelta(days=90)
    )


def test_a_kev_listed_low_score_on_the_internet_is_still_due_in_72_hours():
    assert _period(severity=Severity.LOW, kev_listed=True, internet_facing=True) == timedelta(
        hours=72
    )


@pytest.mark.parametrize(
    ("severity", "days"),
    [
        (Severity.CRITICAL, 14),
        (Severity.HIGH, 30),
        (Severity.MEDIUM, 90),
        (Severity.LOW, 180),
        (Severity.NONE, 180),
    ],
)
def test_without_kev_or_exposure_the_severity_gives_the_period(severity, days):
    assert _period(severity=severity, kev_listed=False, internet_facing=False) == timedelta(
        days=days
    )


@pytest.mark.parametrize(
    ("score", "severity"),
    [
        (10.0, Severity.CRITICAL),
        (9.0, Severity.CRITICAL),
        (8.9, Severity.HIGH),
        (7.0, Severity.HIGH),
        (6.9, Severity.MEDIUM),
        (4.0, Severity.MEDIUM),
        (3.9, Severity.LOW),
        (0.1, Severity.LOW),
        (0.0, Severity.NONE),
        (None, Severity.NONE),
    ],
)
def test_the_cvss_rating_bands_have_their_boundaries(score, severity):
    assert severity_of_score(score) == severity


def test_the_organisation_may_set_a_shorter_period():
    policy = DuePolicy(kev_internet_hours=24)
    assert due_period(
        policy, severity=Severity.HIGH, kev_listed=True, internet_facing=True
    ) == timedelta(hours=24)
