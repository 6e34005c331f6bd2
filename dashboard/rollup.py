"""Build and check the statistics rollup (``incidents.monthly``) from the live computation.

``manage.py statistics_rollup`` runs these for operators; ``build_missing`` also runs after
``migrate`` (``dashboard.apps``), so an upgraded installation starts with its rollup and an
organisation created since gets one at the next deploy (until then its page computes live).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Organisation
from bcp.models import Decision
from common import clock
from dashboard.selectors import statistics as stats
from dashboard.selectors import trend
from dashboard.selectors.scope import real
from incidents import monthly
from incidents.models import AffectedAsset, Event, FiguresZone, Incident

# Every moment the statistics can count: the live computation over all of them is the rollup.
EVER = stats.Window(datetime(1900, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC))
COUNTED = (Incident, Event, AffectedAsset, Decision)


class _Months(dict):
    def __missing__(self, month: date) -> stats.Month:
        self[month] = stats.Month(month=month)
        return self[month]


def _us(total: timedelta | None) -> int:
    if not total:
        return 0
    return (total.days * 86_400 + total.seconds) * 1_000_000 + total.microseconds


def live_cells(organisation_id: int, zone: str) -> monthly.Cells:
    """The live computation of every month, in ``zone``, as the rollup's cells."""
    cells: dict[tuple[date, str, str], tuple[int, int]] = {}
    months = _Months()
    with timezone.override(zone):
        stats._incidents(organisation_id, EVER, months)
        stats._triage(organisation_id, EVER, months)
        stats._durations(organisation_id, EVER, months)
        decisions = list(stats._decision_rows(organisation_id, EVER))
    for month, figures in months.items():
        for code, n in figures.by_category.items():
            cells[(month, "category", code)] = (n, 0)
        for level, n in figures.by_level.items():
            cells[(month, "level", str(level))] = (n, 0)
        for name in ("triage", "resolve", "isolate"):
            timed = getattr(figures, name)
            cells[(month, name, "")] = (timed.count, _us(timed.total))
        cells[(month, "closed", "")] = (figures.triage_closed, 0)
        cells[(month, "fp", "")] = (figures.false_positives, 0)
    late: dict[tuple[date, str], int] = defaultdict(int)
    for row in decisions:
        cells[(row["month"], "decide", row["type"])] = (row["n"], _us(row["total"]))
        late[(row["month"], row["type"])] += row["late"]
    for (month, kind), n in late.items():
        cells[(month, "late", kind)] = (n, 0)
    return {key: value for key, value in cells.items() if value != (0, 0)}


def live_days(organisation_id: int, zone: str) -> monthly.DayCells:
    """The live computation of the measures kept by day (``monthly.DAILY``), in ``zone``."""
    org = organisation_id
    counted = {
        "isolate": (trend.isolations(org), "isolated_at", "infection_observed_at"),
        "category": (Incident.objects.filter(real(), organisation_id=org), "declared_at", None),
        "decide": (
            Decision.objects.filter(
                real("incident__"), organisation_id=org, decided_at__isnull=False
            ),
            "decided_at",
            "opened_at",
        ),
    }
    cells: monthly.DayCells = {}
    with timezone.override(zone):
        for measure, (rows, moment, start) in counted.items():
            total = Sum(trend.span(moment, start)) if start else trend.NO_SPAN
            grouped = (
                rows.annotate(day=TruncDate(moment))
                .order_by()
                .values("day")
                .annotate(n=Count("id"), total=total)
            )
            for row in grouped:
                cells[(row["day"], measure)] = (row["n"], _us(row["total"]))
    return cells


def _zone(organisation_id: int, zone: str | None) -> str:
    return zone or Organisation.objects.values_list("time_zone", flat=True).get(pk=organisation_id)


@transaction.atomic
def rebuild(organisation_id: int, zone: str | None = None) -> int:
    """Recompute the organisation's rollup in ``zone`` (its own by default); the cells written."""
    zone = _zone(organisation_id, zone)
    monthly.lock_counted_rows(model._meta.db_table for model in COUNTED)
    cells = live_cells(organisation_id, zone)
    days = live_days(organisation_id, zone)
    monthly.replace_days(organisation_id, zone, days)
    monthly.replace(organisation_id, zone, cells, at=clock.now())
    return len(cells) + len(days)


@transaction.atomic
def differences(organisation_id: int, zone: str) -> list[str]:
    """Where the rollup and the live computation disagree (nothing when the rollup is exact)."""
    monthly.lock_counted_rows(model._meta.db_table for model in COUNTED)
    live, kept = live_cells(organisation_id, zone), monthly.stored(organisation_id, zone)
    months = [
        f"{month:%Y-%m} {measure} {key}: rollup {kept.get((month, measure, key))}, "
        f"live {live.get((month, measure, key))}"
        for month, measure, key in sorted(live.keys() | kept.keys())
        if live.get((month, measure, key)) != kept.get((month, measure, key))
    ]
    live_day, kept_day = (
        live_days(organisation_id, zone),
        monthly.stored_days(organisation_id, zone),
    )
    return months + [
        f"{day:%Y-%m-%d} {measure}: rollup {kept_day.get((day, measure))}, "
        f"live {live_day.get((day, measure))}"
        for day, measure in sorted(live_day.keys() | kept_day.keys())
        if live_day.get((day, measure)) != kept_day.get((day, measure))
    ]


def build_missing() -> list[int]:
    """Build the rollup of every organisation that has none in its own time zone."""
    built = []
    for org, zone in Organisation.objects.values_list("pk", "time_zone").order_by("pk"):
        if not FiguresZone.objects.filter(organisation_id=org, zone=zone).exists():
            rebuild(org, zone)
            built.append(org)
    return built
