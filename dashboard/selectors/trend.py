"""The dashboard's compact 30-day trend: reports, incidents, time to triage, isolate, decide.

One query (``trend_rows``, which the home page reads with its tiles): a UNION ALL of five
grouped parts, one per measure, each a range on an indexed or small column; days are the
organisation's days (the active time zone). Time to triage counts by the day the report came
in, time to isolate and to decide by the day it was done. Exercises are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    CharField,
    Count,
    DurationField,
    Expression,
    ExpressionWrapper,
    F,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone
from django.utils.dateparse import parse_duration
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bcp.models import Decision
from common.fold import fold
from dashboard.charts import Sparkline, sparkline
from dashboard.selectors.scope import real
from incidents.models import AffectedAsset, Event, Incident, Report
from incidents.models.enums import EventStatus

TREND_DAYS = 30
TRIAGED = [status for status in EventStatus.values if status != EventStatus.RECEIVED]


def span(end: str, start: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def mean(total: timedelta | None, count: int) -> timedelta | None:
    return total / count if total is not None and count else None


def window_start(now: datetime, days: int) -> datetime:
    """Local midnight ``days - 1`` days ago: the window ends with today."""
    first = timezone.localdate(now) - timedelta(days=days - 1)
    return timezone.make_aware(datetime.combine(first, time.min))


@dataclass(frozen=True)
class TrendDay:
    day: date
    reports: int
    incidents: int
    triage: timedelta | None
    isolate: timedelta | None
    decide: timedelta | None


@dataclass(frozen=True)
class TrendMetric:
    key: str
    label: str | Promise
    is_duration: bool
    total: int
    average: timedelta | None
    line: Sparkline


@dataclass(frozen=True)
class Trend:
    days: list[TrendDay]
    metrics: list[TrendMetric]


# Typed: a bare NULL in the first parts would make the UNION column text.
NO_SPAN = Cast(Value(None), output_field=DurationField())


def _by_day(
    key: str, rows: QuerySet, moment: str, since: datetime, total: Expression = NO_SPAN
) -> QuerySet:
    """One part of the trend's query: (measure, day, count, summed duration) per day."""
    return (
        rows.filter(
            **{f"{moment}__gte": since, f"{moment}__lt": since + timedelta(days=TREND_DAYS)}
        )
        .annotate(day=TruncDate(moment), measure=Value(key, output_field=CharField()))
        .order_by()
        .values("measure", "day")
        .annotate(n=Count("id"), total=total)
        .values("measure", "day", "n", "total")
    )


def trend_rows(*, organisation_id: int, now: datetime, days: int = TREND_DAYS) -> QuerySet:
    """The trend's one query (a UNION ALL of five grouped parts), for ``fold``."""
    return _union(organisation_id, window_start(now, days))


def _union(organisation_id: int, since: datetime) -> QuerySet:
    org = organisation_id
    parts = [
        _by_day(
            "reports",
            Report.objects.filter(real("incident__"), organisation_id=org),
            "received_at",
            since,
        ),
        _by_day(
            "incidents",
            Incident.objects.filter(real(), organisation_id=org),
            "declared_at",
            since,
        ),
        # By the day the report came in; the status list lets event_queue (organisation,
        # status, received_at) serve the range.
        _by_day(
            "triage",
            Event.objects.filter(real("incident__"), organisation_id=org, status__in=TRIAGED),
            "received_at",
            since,
            Sum(span("triaged_at", "received_at")),
        ),
        _by_day(
            "isolate",
            AffectedAsset.objects.filter(
                real("incident__"),
                asset__organisation_id=org,
                infection_observed_at__isnull=False,
                isolated_at__gte=F("infection_observed_at"),
            ),
            "isolated_at",
            since,
            Sum(span("isolated_at", "infection_observed_at")),
        ),
        _by_day(
            "decide",
            Decision.objects.filter(real("incident__"), organisation_id=org),
            "decided_at",
            since,
            Sum(span("decided_at", "opened_at")),
        ),
    ]
    first, *rest = parts
    return first.union(*rest, all=True)


def _measures(rows: list[dict]) -> dict[str, dict[date, dict]]:
    """The five measures by day, from the rows of ``trend_rows`` as ``fold`` gives them (the
    day as ISO text, the summed duration as PostgreSQL's or ISO 8601 text)."""
    measures: dict[str, dict[date, dict]] = {key: {} for key in LABELS}
    for row in rows:
        total = row["total"]
        measures[row["measure"]][date.fromisoformat(row["day"])] = {
            "n": row["n"],
            "total": parse_duration(total) if isinstance(total, str) else total,
        }
    return measures


LABELS = {
    "reports": _("Reports"),
    "incidents": _("Incidents"),
    "triage": _("Time to triage"),
    "isolate": _("Time to isolate"),
    "decide": _("Time to decide"),
}
DURATIONS = ("triage", "isolate", "decide")


def _metric(key: str, days: list[date], rows: dict[date, dict]) -> TrendMetric:
    count = sum(row["n"] for row in rows.values())
    if key not in DURATIONS:
        values: list[float | None] = [rows.get(d, {}).get("n", 0) for d in days]
        return TrendMetric(key, LABELS[key], False, count, None, sparkline(values))
    total = sum((row["total"] for row in rows.values() if row["total"]), timedelta())
    hours = [
        mean(rows[d]["total"], rows[d]["n"]).total_seconds() / 3600 if d in rows else None
        for d in days
    ]
    return TrendMetric(key, LABELS[key], True, count, mean(total, count), sparkline(hours))


def trend_30_days(
    *, organisation_id: int, now: datetime, days: int = TREND_DAYS, rows: list[dict] | None = None
) -> Trend:
    """The trend; ``rows``: those of ``trend_rows`` already read (``fold``), else read here."""
    since = window_start(now, days)
    first = timezone.localdate(since)
    calendar = [first + timedelta(days=i) for i in range(days)]
    if rows is None:
        rows = fold({"trend": trend_rows(organisation_id=organisation_id, now=now, days=days)})[
            "trend"
        ]
    measures = _measures(rows)

    def duration(key: str, day: date) -> timedelta | None:
        row = measures[key].get(day)
        return mean(row["total"], row["n"]) if row else None

    table = [
        TrendDay(
            day=day,
            reports=measures["reports"].get(day, {}).get("n", 0),
            incidents=measures["incidents"].get(day, {}).get("n", 0),
            triage=duration("triage", day),
            isolate=duration("isolate", day),
            decide=duration("decide", day),
        )
        for day in calendar
    ]
    metrics = [_metric(key, calendar, rows) for key, rows in measures.items()]
    return Trend(days=table, metrics=metrics)
