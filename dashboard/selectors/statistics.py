"""Statistics for the ISMS office and management (security information provision).

Per month of the organisation's calendar: incidents by category and by peak level, mean time
to triage (MTTA: report received → triaged), mean time to resolve (MTTR: declared → closed),
mean time to isolate an infected asset (observed → isolated), mean decision time (opened →
decided) and the false-positive ratio (closed triage items found not to be an incident ÷ all
closed triage items). Exercises are left out.

Means are kept as (sum, count) so months add up to the period exactly.

Two ways to the same figures (issue 20): the rollup (``incidents.monthly``, kept in the same
transaction as the rows it counts; one read of a few hundred rows) when the organisation's
rollup is kept in the time zone the page is shown in, else the live computation (five grouped
reads over the period's rows). The live computation stays the reference: the rebuild and the
check of ``manage.py statistics_rollup`` compare the rollup with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, DateField, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import DecisionType
from bcp.models import Decision
from common.csvexport import csv_bytes
from dashboard.selectors.scope import real
from dashboard.selectors.trend import TRIAGED, mean, span
from incidents import monthly
from incidents.models import AffectedAsset, Event, FiguresZone, Incident, MonthlyFigure
from incidents.models.enums import Category

PERIODS = (3, 6, 12, 24)
DEFAULT_PERIOD = 12
NOT_AN_INCIDENT = monthly.NOT_AN_INCIDENT


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class Timed:
    """A mean kept as its parts, so that months add up to the whole period."""

    count: int = 0
    total: timedelta = field(default_factory=timedelta)

    def add(self, count: int, total: timedelta | None) -> None:
        self.count += count
        self.total += total or timedelta()

    @property
    def average(self) -> timedelta | None:
        return mean(self.total, self.count)

    @property
    def hours(self) -> float | None:
        average = self.average
        return round(average.total_seconds() / 3600, 2) if average is not None else None


@dataclass
class Month:
    month: date
    by_category: dict[str, int] = field(default_factory=dict)
    by_level: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0})
    triage: Timed = field(default_factory=Timed)
    resolve: Timed = field(default_factory=Timed)
    isolate: Timed = field(default_factory=Timed)
    decide: Timed = field(default_factory=Timed)
    triage_closed: int = 0
    false_positives: int = 0

    @property
    def incidents(self) -> int:
        return sum(self.by_category.values())

    @property
    def false_positive_percent(self) -> float | None:
        if not self.triage_closed:
            return None
        return round(100 * self.false_positives / self.triage_closed, 1)


@dataclass(frozen=True)
class DecisionKind:
    type: str
    label: str
    timed: Timed
    late: int


@dataclass(frozen=True)
class Statistics:
    since: date
    months: list[Month]
    total: Month
    categories: list[tuple[str, str, int]]
    decisions: list[DecisionKind]


@dataclass(frozen=True)
class Window:
    since: datetime
    until: datetime


def _monthly(rows: QuerySet, moment: str, window: Window) -> QuerySet:
    return (
        rows.filter(**{f"{moment}__gte": window.since, f"{moment}__lt": window.until})
        .annotate(month=TruncMonth(moment, output_field=DateField()))
        .order_by()
    )


def _incidents(org: int, window: Window, months: dict[date, Month]) -> None:
    rows = _monthly(Incident.objects.filter(real(), organisation_id=org), "declared_at", window)
    for row in rows.values("month", "category", "peak_level").annotate(n=Count("id")):
        month = months[row["month"]]
        month.by_category[row["category"]] = month.by_category.get(row["category"], 0) + row["n"]
        month.by_level[row["peak_level"]] = month.by_level.get(row["peak_level"], 0) + row["n"]


def _triage(org: int, window: Window, months: dict[date, Month]) -> None:
    # Closed items only: the status list lets event_queue (organisation, status, received_at)
    # serve the range.
    events = Event.objects.filter(real("incident__"), organisation_id=org, status__in=TRIAGED)
    triaged = Q(triaged_at__isnull=False)
    rows = (
        _monthly(events, "received_at", window)
        .values("month")
        .annotate(
            closed=Count("id"),
            fp=Count("id", filter=Q(disposition__startswith=NOT_AN_INCIDENT)),
            triaged=Count("id", filter=triaged),
            total=Sum(span("triaged_at", "received_at"), filter=triaged),
        )
    )
    for row in rows:
        month = months[row["month"]]
        month.triage.add(row["triaged"], row["total"])
        month.triage_closed += row["closed"]
        month.false_positives += row["fp"]


def _durations(org: int, window: Window, months: dict[date, Month]) -> None:
    closed = Incident.objects.filter(real(), organisation_id=org, closed_at__isnull=False)
    isolated = AffectedAsset.objects.filter(
        real("incident__"),
        asset__organisation_id=org,
        infection_observed_at__isnull=False,
        isolated_at__gte=F("infection_observed_at"),
    )
    sources = (
        ("resolve", closed, "closed_at", "declared_at"),
        ("isolate", isolated, "isolated_at", "infection_observed_at"),
    )
    for attribute, rows, end, start in sources:
        grouped = _monthly(rows, end, window).values("month")
        for row in grouped.annotate(n=Count("id"), total=Sum(span(end, start))):
            getattr(months[row["month"]], attribute).add(row["n"], row["total"])


def _decision_rows(org: int, window: Window) -> QuerySet:
    decided = Decision.objects.filter(real("incident__"), organisation_id=org)
    return (
        _monthly(decided, "decided_at", window)
        .values("month", "type")
        .annotate(
            n=Count("id"),
            total=Sum(span("decided_at", "opened_at")),
            late=Count("id", filter=Q(due_at__lt=F("decided_at"))),
        )
    )


def _decisions(org: int, window: Window, months: dict[date, Month]) -> list[DecisionKind]:
    kinds: dict[str, Timed] = defaultdict(Timed)
    late: dict[str, int] = defaultdict(int)
    for row in _decision_rows(org, window):
        months[row["month"]].decide.add(row["n"], row["total"])
        kinds[row["type"]].add(row["n"], row["total"])
        late[row["type"]] += row["late"]
    return _kinds(kinds, late)


def _kinds(kinds: dict[str, Timed], late: dict[str, int]) -> list[DecisionKind]:
    labels = dict(DecisionType.choices)
    return [
        DecisionKind(code, str(labels[code]), kinds[code], late[code])
        for code in DecisionType.values
        if code in kinds
    ]


def _sum(months: list[Month], since: date) -> Month:
    total = Month(month=since)
    for month in months:
        for code, n in month.by_category.items():
            total.by_category[code] = total.by_category.get(code, 0) + n
        for level, n in month.by_level.items():
            total.by_level[level] = total.by_level.get(level, 0) + n
        for name in ("triage", "resolve", "isolate", "decide"):
            part = getattr(month, name)
            getattr(total, name).add(part.count, part.total)
        total.triage_closed += month.triage_closed
        total.false_positives += month.false_positives
    return total


def _live(org: int, window: Window, months: dict[date, Month]) -> list[DecisionKind]:
    """The reference: five grouped reads over the window's rows."""
    _incidents(org, window, months)
    _triage(org, window, months)
    _durations(org, window, months)
    return _decisions(org, window, months)


def _from_rollup(
    org: int, zone: str, window: Window, months: dict[date, Month]
) -> list[DecisionKind]:
    """The same figures from the rollup: one read of the period's ``MonthlyFigure`` rows."""
    kinds: dict[str, Timed] = defaultdict(Timed)
    late: dict[str, int] = defaultdict(int)
    rows = MonthlyFigure.objects.filter(
        organisation_id=org, zone=zone, month__gte=min(months), month__lte=max(months)
    ).exclude(n=0, total_us=0)
    for month_key, measure, key, n, us in rows.values_list(
        "month", "measure", "key", "n", "total_us"
    ):
        month, total = months[month_key], timedelta(microseconds=us)
        if measure == "category":
            month.by_category[key] = month.by_category.get(key, 0) + n
        elif measure == "level":
            month.by_level[int(key)] = month.by_level.get(int(key), 0) + n
        elif measure == "closed":
            month.triage_closed += n
        elif measure == "fp":
            month.false_positives += n
        elif measure == "decide":
            month.decide.add(n, total)
            kinds[key].add(n, total)
        elif measure == "late":
            late[key] += n
        else:  # triage, resolve, isolate
            getattr(month, measure).add(n, total)
    return _kinds(kinds, late)


def _kept(org: int, zone: str) -> bool:
    return FiguresZone.objects.filter(organisation_id=org, zone=zone).exists()


def statistics(*, organisation_id: int, now: datetime, period: int = DEFAULT_PERIOD) -> Statistics:
    """The last ``period`` months, this month included."""
    first = add_months(timezone.localdate(now).replace(day=1), 1 - period)
    window = Window(_midnight(first), _midnight(add_months(first, period)))
    months = {add_months(first, i): Month(month=add_months(first, i)) for i in range(period)}
    zone = timezone.get_current_timezone_name()
    if _kept(organisation_id, zone):
        decisions = _from_rollup(organisation_id, zone, window, months)
    else:
        decisions = _live(organisation_id, window, months)
    ordered = list(months.values())
    total = _sum(ordered, first)
    labels = dict(Category.choices)
    categories = sorted(
        ((code, str(labels.get(code, code)), n) for code, n in total.by_category.items() if n),
        key=lambda item: (-item[2], item[1]),
    )
    return Statistics(first, ordered, total, categories, decisions)


TIMED = (
    ("triage", gettext_lazy("MTTA: mean time to triage (hours)")),
    ("resolve", gettext_lazy("MTTR: mean time to resolve (hours)")),
    ("isolate", gettext_lazy("Mean time to isolate (hours)")),
    ("decide", gettext_lazy("Mean decision time (hours)")),
)


def _hours(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _month_rows(month: Month) -> Iterator[list[object]]:
    key = month.month.strftime("%Y-%m")
    categories = dict(Category.choices)
    yield [key, _("Incidents"), "", month.incidents, month.incidents]
    for code, n in sorted(month.by_category.items()):
        yield [key, _("Incidents by category"), categories.get(code, code), n, n]
    for level, n in sorted(month.by_level.items()):
        yield [key, _("Incidents by peak level"), level, n, n]
    for name, label in TIMED:
        timed = getattr(month, name)
        yield [key, label, "", _hours(timed.hours), timed.count]
    percent = month.false_positive_percent
    ratio = "" if percent is None else f"{percent:.1f}"
    yield [key, _("False-positive ratio (%)"), "", ratio, month.triage_closed]


def statistics_csv(stats: Statistics) -> bytes:
    """One row per month and measure (long format), then the decision times by type.

    UTF-8 with a byte-order mark, so Excel in Japanese opens it without garbling.
    """
    rows: list[list[object]] = [[_("Month"), _("Measure"), _("Breakdown"), _("Value"), _("Count")]]
    for month in stats.months:
        rows += _month_rows(month)
    for kind in stats.decisions:
        hours = _hours(kind.timed.hours)
        rows.append(["", _("Mean decision time (hours)"), kind.label, hours, kind.timed.count])
    return csv_bytes(rows)
