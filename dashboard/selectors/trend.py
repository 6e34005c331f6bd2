"""The dashboard's compact 30-day trend: reports, incidents, time to triage, isolate, decide.

Two parts of the home page's one query (``trend_parts``, read with its tiles by ``fold``): a
UNION ALL of grouped parts, one per measure, each a range on an indexed or small column; and
the time to isolate by day from the rollup (``incidents.DailyFigure``, kept with the statistics
rollup in the writers' transaction) when the organisation's rollup is kept in the active time
zone — else that measure is grouped live like the others (the SQL chooses: no extra query).
Days are the organisation's days (the active time zone). Time to triage counts by the day the
report came in, time to isolate and to decide by the day it was done. Exercises are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    CharField,
    Count,
    DurationField,
    Exists,
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
from common.fold import Part, fold, kept
from dashboard.charts import Sparkline, sparkline
from dashboard.selectors.scope import real
from incidents.models import AffectedAsset, DailyFigure, Event, FiguresZone, Incident, Report
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


def isolations(organisation_id: int) -> QuerySet[AffectedAsset]:
    """The isolations the time to isolate counts (as the statistics: ``isolation_facts``)."""
    return AffectedAsset.objects.filter(
        real("incident__"),
        asset__organisation_id=organisation_id,
        infection_observed_at__isnull=False,
        isolated_at__gte=F("infection_observed_at"),
    )


def _zone_kept(organisation_id: int) -> QuerySet[FiguresZone]:
    """The organisation's rollup in the active time zone (a row when it is kept)."""
    zone = timezone.get_current_timezone_name()
    return FiguresZone.objects.filter(organisation_id=organisation_id, zone=zone)


def trend_parts(*, organisation_id: int, now: datetime, days: int = TREND_DAYS) -> dict[str, Part]:
    """The trend's two parts for ``fold``: ``trend`` (``trend_rows``) and ``trend_days``, the
    measures of ``KEPT`` by day from the rollup (no row when the rollup is not kept). They
    change with the organisation, the time zone and the day only: compiled once per day."""
    since = window_start(now, days)
    zone = timezone.get_current_timezone_name()
    return kept(
        ("trend", organisation_id, zone, since, days),
        lambda: _trend_parts(organisation_id, zone, since, days),
    )


def _trend_parts(
    organisation_id: int, zone: str, since: datetime, days: int
) -> dict[str, QuerySet]:
    first = timezone.localdate(since)
    kept_days = DailyFigure.objects.filter(
        Exists(_zone_kept(organisation_id)),
        organisation_id=organisation_id,
        zone=zone,
        measure__in=list(KEPT),
        n__gt=0,  # a day its rows all moved out of keeps its row, at zero
        day__gte=first,
        day__lte=first + timedelta(days=days - 1),
    ).values("measure", "day", "n", "total_us")
    return {"trend": _union(organisation_id, since), "trend_days": kept_days}


def trend_rows(*, organisation_id: int, now: datetime, days: int = TREND_DAYS) -> QuerySet:
    """The trend's grouped parts (a UNION ALL), for ``fold``: the measures of ``KEPT`` among
    them only when the rollup is not kept (``trend_parts``)."""
    return _union(organisation_id, window_start(now, days))


# The rollup's daily measures (``incidents.monthly.DAILY``) and the trend's measure each gives.
KEPT = {"category": "incidents", "isolate": "isolate", "decide": "decide"}


def _union(organisation_id: int, since: datetime) -> QuerySet:
    org = organisation_id
    # The measures of KEPT are grouped live only where no rollup is kept (a one-time filter:
    # their rows are not read when it is; ``trend_days`` then gives their days).
    live = ~Exists(_zone_kept(org))
    parts = [
        _by_day(
            "reports",
            Report.objects.filter(real("incident__"), organisation_id=org),
            "received_at",
            since,
        ),
        _by_day(
            "incidents",
            Incident.objects.filter(live, real(), organisation_id=org),
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
            isolations(org).filter(live),
            "isolated_at",
            since,
            Sum(span("isolated_at", "infection_observed_at")),
        ),
        _by_day(
            "decide",
            Decision.objects.filter(live, real("incident__"), organisation_id=org),
            "decided_at",
            since,
            Sum(span("decided_at", "opened_at")),
        ),
    ]
    first, *rest = parts
    return first.union(*rest, all=True)


def _measures(rows: list[dict], kept_days: list[dict]) -> dict[str, dict[date, dict]]:
    """The five measures by day, from the rows of ``trend_parts`` as ``fold`` gives them (the
    day as ISO text, the summed duration as PostgreSQL's or ISO 8601 text, or µs)."""
    measures: dict[str, dict[date, dict]] = {key: {} for key in LABELS}
    for row in rows:
        total = row["total"]
        measures[row["measure"]][_day(row["day"])] = {
            "n": row["n"],
            "total": parse_duration(total) if isinstance(total, str) else total,
        }
    for row in kept_days:
        key = KEPT[row["measure"]]
        total = timedelta(microseconds=row["total_us"]) if key in DURATIONS else None
        measures[key][_day(row["day"])] = {"n": row["n"], "total": total}
    return measures


def _day(value: str | date) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


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
    *,
    organisation_id: int,
    now: datetime,
    days: int = TREND_DAYS,
    rows: list[dict] | None = None,
    kept_days: list[dict] | None = None,
) -> Trend:
    """The trend; ``rows`` and ``kept_days``: those of ``trend_parts`` already read
    (``fold``: ``trend`` and ``trend_days``), else read here."""
    since = window_start(now, days)
    first = timezone.localdate(since)
    calendar = [first + timedelta(days=i) for i in range(days)]
    if rows is None:
        read = fold(trend_parts(organisation_id=organisation_id, now=now, days=days))
        rows, kept_days = read["trend"], read["trend_days"]
    measures = _measures(rows, kept_days or [])

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
