"""Reads of phishing drills and their results: report rate and time to report."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import User
from training import access
from training.models import DrillRecipient, PhishingDrill


def drills_of(user: User) -> QuerySet[PhishingDrill]:
    if not access.can_read(user):
        return PhishingDrill.objects.none()
    return (
        PhishingDrill.objects.filter(organisation_id=user.organisation_id)
        .select_related("follow_up_course")
        .order_by("-sent_at", "-id")
    )


def drills_with_counts(user: User) -> QuerySet[PhishingDrill]:
    """The drill list with its result counts, in one query."""
    return drills_of(user).annotate(
        n_recipients=Count("recipients"),
        n_opened=Count("recipients", filter=Q(recipients__opened=True)),
        n_clicked=Count("recipients", filter=Q(recipients__clicked=True)),
        n_entered=Count("recipients", filter=Q(recipients__entered_data=True)),
        n_reported=Count("recipients", filter=Q(recipients__reported=True)),
    )


def drill_get(*, user: User, pk: int) -> PhishingDrill:
    drill = drills_of(user).filter(pk=pk).first()
    if drill is None:
        raise Http404
    return drill


def drill_recipients(drill: PhishingDrill) -> QuerySet[DrillRecipient]:
    return drill.recipients.select_related("person").order_by("person__name", "person_id")


@dataclass
class DrillResults:
    recipients: int
    opened: int
    clicked: int
    entered_data: int
    reported: int
    report_minutes: list[float]

    def rate(self, count: int) -> int:
        return round(100 * count / self.recipients) if self.recipients else 0

    @property
    def open_rate(self) -> int:
        return self.rate(self.opened)

    @property
    def click_rate(self) -> int:
        return self.rate(self.clicked)

    @property
    def entered_rate(self) -> int:
        return self.rate(self.entered_data)

    @property
    def report_rate(self) -> int:
        return self.rate(self.reported)

    @property
    def median_minutes_to_report(self) -> float | None:
        return round(statistics.median(self.report_minutes), 1) if self.report_minutes else None

    @property
    def mean_minutes_to_report(self) -> float | None:
        return round(statistics.fmean(self.report_minutes), 1) if self.report_minutes else None


def drill_results(drill: PhishingDrill) -> DrillResults:
    """One query: the flags and the report times of every recipient."""
    rows = list(
        drill.recipients.values_list("opened", "clicked", "entered_data", "reported", "reported_at")
    )
    minutes = [
        (at - drill.sent_at) / timedelta(minutes=1)
        for *_flags, at in rows
        if at is not None and at >= drill.sent_at
    ]
    return DrillResults(
        recipients=len(rows),
        opened=sum(r[0] for r in rows),
        clicked=sum(r[1] for r in rows),
        entered_data=sum(r[2] for r in rows),
        reported=sum(r[3] for r in rows),
        report_minutes=minutes,
    )
