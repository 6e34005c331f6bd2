"""The management review pack (ISO/IEC 27001 cl. 9.3) for a period: real incidents by level
and category, the times that matter (triage, isolation, decision), the lessons and corrective
actions of the closed incidents M-1 sent to the review (isms),
training coverage, phishing drills, exercise findings and CSIRT-function changes.

Incidents are read through ``real_incidents``: exercise (訓練) incidents never count here.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from accounts.models import Organisation, User
from bcp.enums import DecisionStatus
from bcp.models import Decision
from bcp.services.decisions import deadline_minutes
from common import clock
from incidents import extensions
from incidents.models import AffectedAsset, Event, Incident
from incidents.models.enums import Category, IncidentStatus
from isms.models import PostIncidentReview
from isms.selectors import management_review_reviews
from training.models import CsirtMapChange, Exercise, PhishingDrill
from training.selectors.coverage import CoverageView, coverage_report
from training.selectors.csirt import StepPage, csirt_changes, step_page
from training.selectors.drills import DrillResults, drill_results
from training.selectors.exercises import AfterActionReport, after_action_report
from training.selectors.statistics import real_incidents

ISOLATION_KPI_MINUTES = 15  # DOMAIN-MODEL §2.4: execution → isolation within 15 minutes


@dataclass(frozen=True)
class Durations:
    count: int
    median: float | None
    mean: float | None
    longest: float | None
    over_target: int = 0

    @classmethod
    def of(cls, deltas: list[timedelta], target_minutes: float | None = None) -> Durations:
        minutes = sorted(d.total_seconds() / 60 for d in deltas if d >= timedelta(0))
        if not minutes:
            return cls(0, None, None, None)
        over = sum(1 for m in minutes if target_minutes is not None and m > target_minutes)
        return cls(
            len(minutes),
            round(statistics.median(minutes), 1),
            round(statistics.fmean(minutes), 1),
            round(minutes[-1], 1),
            over,
        )


@dataclass
class DecisionTimes:
    type: str
    label: str
    durations: Durations
    on_time: int
    with_deadline: int


@dataclass
class ReviewPack:
    organisation: Organisation
    start: date
    end: date
    incidents: int
    by_level: list[tuple[int, int]]
    by_category: list[tuple[str, int]]
    by_level_and_category: list[tuple[str, list[int]]]
    open_at_end: int
    triage: Durations
    isolation: Durations
    decisions: list[DecisionTimes]
    # Closed incidents M-1 sent to the review, with lessons and corrective actions (isms).
    lessons: list[PostIncidentReview]
    coverage_start: CoverageView
    coverage_end: CoverageView
    drills: list[tuple[PhishingDrill, DrillResults]]
    exercises: list[AfterActionReport]
    csirt_changes: list[CsirtMapChange]
    csirt_step: StepPage
    exercise_incidents_left_out: int = 0
    # Sections other apps add through incidents.extensions (vulns: vulnerability figures).
    more: list[Any] = field(default_factory=list)
    levels: list[int] = field(default_factory=lambda: [1, 2, 3])


def _bounds(organisation: Organisation, start: date, end: date) -> tuple[datetime, datetime]:
    tz = ZoneInfo(organisation.time_zone)
    since = datetime.combine(start, time(0), tzinfo=tz)
    return since, datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz)


def _incident_tables(incidents: list[Incident]) -> dict:
    by_level = Counter(i.peak_level for i in incidents)
    by_category = Counter(i.category for i in incidents)
    labels = dict(Category.choices)
    categories = sorted(by_category, key=lambda c: (-by_category[c], c))
    return {
        "by_level": [(level, by_level.get(level, 0)) for level in (1, 2, 3)],
        "by_category": [(str(labels.get(c, c)), by_category[c]) for c in categories],
        "by_level_and_category": [
            (
                str(labels.get(c, c)),
                [
                    sum(1 for i in incidents if i.category == c and i.peak_level == lv)
                    for lv in (1, 2, 3)
                ],
            )
            for c in categories
        ],
    }


def _triage(incidents: list[Incident]) -> Durations:
    events = Event.objects.filter(incident__in=incidents, triaged_at__isnull=False)
    return Durations.of(
        [e.triaged_at - e.received_at for e in events.only("triaged_at", "received_at")]
    )


def _isolation(incidents: list[Incident]) -> Durations:
    rows = AffectedAsset.objects.filter(
        incident__in=incidents, isolated_at__isnull=False
    ).values_list("isolated_at", "infection_observed_at", "first_infected_at")
    deltas = [
        isolated - (observed or first) for isolated, observed, first in rows if observed or first
    ]
    return Durations.of(deltas, ISOLATION_KPI_MINUTES)


def _decision_times(organisation: Organisation, incidents: list[Incident]) -> list[DecisionTimes]:
    decided = Decision.objects.filter(
        incident__in=incidents, status=DecisionStatus.DECIDED, decided_at__isnull=False
    ).order_by("type")
    by_type: dict[str, list[Decision]] = {}
    for decision in decided:
        by_type.setdefault(decision.type, []).append(decision)
    rows = []
    for kind, items in by_type.items():
        minutes = deadline_minutes(organisation, kind)
        deadline = timedelta(minutes=minutes) if minutes else None
        took = [d.decided_at - d.opened_at for d in items]
        rows.append(
            DecisionTimes(
                type=kind,
                label=str(items[0].get_type_display()),
                durations=Durations.of(took),
                on_time=sum(1 for t in took if deadline is not None and t <= deadline),
                with_deadline=len(took) if deadline is not None else 0,
            )
        )
    return rows


def review_pack(*, user: User, start: date, end: date) -> ReviewPack:
    organisation = user.organisation
    since, until = _bounds(organisation, start, end)
    real = real_incidents(organisation_id=organisation.pk)
    incidents = list(real.filter(declared_at__gte=since, declared_at__lt=until))
    drills = PhishingDrill.objects.filter(
        organisation=organisation, sent_at__gte=since, sent_at__lt=until
    ).order_by("sent_at")
    exercises = Exercise.objects.filter(
        organisation=organisation, starts_at__gte=since, starts_at__lt=until
    ).order_by("starts_at")
    return ReviewPack(
        organisation=organisation,
        start=start,
        end=end,
        incidents=len(incidents),
        **_incident_tables(incidents),
        open_at_end=real.filter(declared_at__lt=until)
        .exclude(status=IncidentStatus.CLOSED, closed_at__lt=until)
        .count(),
        triage=_triage(incidents),
        isolation=_isolation(incidents),
        decisions=_decision_times(organisation, incidents),
        lessons=management_review_reviews(organisation=organisation, since=since, until=until),
        coverage_start=coverage_report(user=user, on=start, trend=False),
        coverage_end=coverage_report(user=user, on=end, trend=False),
        drills=[(d, drill_results(d)) for d in drills],
        exercises=[after_action_report(e) for e in exercises],
        csirt_changes=list(csirt_changes(organisation, since, until)),
        csirt_step=step_page(organisation),
        exercise_incidents_left_out=Incident.objects.filter(
            organisation=organisation,
            is_exercise=True,
            declared_at__gte=since,
            declared_at__lt=until,
        ).count(),
        more=extensions.review_sections(organisation, since, until, clock.now()),
    )
