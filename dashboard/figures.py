"""The statistics page's figures: each chart with the table that says the same in numbers.

Presentation only (labels in the reader's language, rounding); the figures themselves come from
``dashboard.selectors.statistics``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dashboard import charts
from dashboard.selectors.statistics import Month, Statistics


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    chart: charts.ColumnChart | charts.BarChart
    head: list[str]
    rows: list[list[str]]
    legend: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_bars(self) -> bool:
        return isinstance(self.chart, charts.BarChart)


def _month(month: Month) -> str:
    return date_format(month.month, "YEAR_MONTH_FORMAT")


def _short(month: Month) -> str:
    """The month under its column: "1月" in Japanese, "Jan" in English; the year goes below."""
    return date_format(month.month, "M")


def _years(stats: Statistics) -> list[str]:
    return [f"{m.month:%Y}" for m in stats.months]


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _by_level(stats: Statistics) -> Figure:
    levels = [(f"level-{n}", _("Level %(n)s") % {"n": n}, n) for n in (1, 2, 3)]
    series = [
        (css, name, [m.by_level.get(level, 0) for m in stats.months]) for css, name, level in levels
    ]
    rows = [
        [
            _month(m),
            *(str(m.by_level.get(level, 0)) for *_unused, level in levels),
            str(m.incidents),
        ]
        for m in stats.months
    ]
    return Figure(
        id="by-level",
        title=_("Incidents per month by peak level"),
        chart=charts.column_chart(
            [_short(m) for m in stats.months],
            series,
            unit=pgettext("chart unit", "incidents"),
            groups=_years(stats),
        ),
        head=[_("Month"), *(name for _css, name, _level in levels), _("Total")],
        rows=rows,
        legend=[(css, name) for css, name, _level in levels],
    )


def _by_category(stats: Statistics) -> Figure:
    codes = [(code, label) for code, label, _n in stats.categories]
    rows = [
        [_month(m), *(str(m.by_category.get(code, 0)) for code, _label in codes)]
        for m in stats.months
    ]
    return Figure(
        id="by-category",
        title=_("Incidents by category"),
        chart=charts.bar_chart([(label, n) for _code, label, n in stats.categories]),
        head=[_("Month"), *(label for _code, label in codes)],
        rows=rows,
    )


def _timed(stats: Statistics, attribute: str, figure_id: str, title: str) -> Figure:
    hours = [getattr(m, attribute).hours or 0 for m in stats.months]
    return Figure(
        id=figure_id,
        title=title,
        chart=charts.column_chart(
            [_short(m) for m in stats.months],
            [("hours", _("hours"), hours)],
            fmt=lambda value: f"{value:g}",
            unit=pgettext("chart unit", "hours"),
            groups=_years(stats),
        ),
        head=[_("Month"), _("Mean (hours)"), _("Cases")],
        rows=[
            [_month(m), _hours(getattr(m, attribute).hours), str(getattr(m, attribute).count)]
            for m in stats.months
        ],
    )


def _false_positives(stats: Statistics) -> Figure:
    percents = [m.false_positive_percent or 0 for m in stats.months]
    return Figure(
        id="false-positives",
        title=_("False-positive ratio of triage (%)"),
        chart=charts.column_chart(
            [_short(m) for m in stats.months],
            [("ratio", "%", percents)],
            fmt=lambda value: f"{value:.0f}",
            unit="%",
            groups=_years(stats),
        ),
        head=[_("Month"), _("Not an incident"), _("Closed triage items"), _("Ratio (%)")],
        rows=[
            [
                _month(m),
                str(m.false_positives),
                str(m.triage_closed),
                "—" if m.false_positive_percent is None else f"{m.false_positive_percent:.1f}",
            ]
            for m in stats.months
        ],
    )


def statistics_figures(stats: Statistics) -> list[Figure]:
    return [
        _by_level(stats),
        _by_category(stats),
        _timed(stats, "triage", "mtta", _("MTTA: mean time from report to triage")),
        _timed(stats, "resolve", "mttr", _("MTTR: mean time from declaration to closing")),
        _timed(stats, "isolate", "isolate", _("Mean time to isolate an infected asset")),
        _timed(stats, "decide", "decide", _("Mean time to decide")),
        _false_positives(stats),
    ]
