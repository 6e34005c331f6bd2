"""Chart geometry for server-rendered SVG: pure functions, no database, no template.

The templates draw what these return with classes only (no ``style`` attribute), so the charts
hold under the strict Content-Security-Policy and need no script. Every chart on a page also
has a table with the same numbers; a series is told apart by its dash pattern, marker and label
as well as its colour.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

Number = float | int


def nice_max(value: Number, ticks: int = 4) -> tuple[float, float]:
    """A rounded top of the axis and its tick step (1, 2 or 5 × 10ⁿ), at least 1."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if step < 1 and float(value).is_integer():
        step = 1.0
    return step * math.ceil(value / step), float(step)


def _fmt(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Frame:
    """The plot area inside the SVG's viewBox."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom

    @property
    def plot_right(self) -> float:
        return self.width - self.right

    @property
    def baseline(self) -> float:
        return self.height - self.bottom

    def y_of(self, value: float, top_value: float) -> float:
        return round(self.baseline - self.plot_height * value / top_value, 1)


def y_ticks(frame: Frame, top_value: float, step: float) -> list[Tick]:
    count = round(top_value / step)
    return [Tick(frame.y_of(i * step, top_value), _fmt(i * step)) for i in range(count + 1)]


# --- Sparklines (the 30-day trend) --------------------------------------------------------------


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    segments: list[str]
    dots: list[tuple[float, float]]
    last: tuple[float, float] | None


def sparkline(values: Sequence[Number | None], width: int = 120, height: int = 32) -> Sparkline:
    """A line through the values; a gap (None: nothing to measure that day) breaks it."""
    pad = 3.0
    known = [v for v in values if v is not None]
    top = max(known, default=0) or 1
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    segments: list[list[tuple[float, float]]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            segments.append([])
            continue
        y = height - pad - (height - 2 * pad) * value / top
        segments[-1].append((round(pad + i * step, 1), round(y, 1)))
    runs = [run for run in segments if run]
    return Sparkline(
        width=width,
        height=height,
        segments=[" ".join(f"{x},{y}" for x, y in run) for run in runs if len(run) > 1],
        dots=[run[0] for run in runs if len(run) == 1],
        last=runs[-1][-1] if runs else None,
    )


# --- Columns per month (statistics) -------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class ColumnChart:
    frame: Frame
    columns: list[Column]
    x_labels: list[Tick]
    y_ticks: list[Tick]
    totals: list[tuple[float, float, str]] = field(default_factory=list)
    unit: str = ""  # what the y-axis counts, written above it ("件", "時間", "%")
    x_groups: list[Tick] = field(default_factory=list)  # the year under its first month

    @property
    def label_y(self) -> float:
        return self.frame.baseline + TICK_FONT + 4

    @property
    def group_y(self) -> float:
        return self.label_y + TICK_FONT + 6


TICK_FONT = 14  # px in the viewBox: the larger of the stylesheet's .tick sizes (narrow screens)


def text_width(text: str, size: float = TICK_FONT) -> float:
    """About how wide a label draws: a CJK character is a full em, anything else about 0.6."""
    return sum(size if ord(char) >= 0x2E80 else size * 0.6 for char in text)


def _every(labels: Sequence[str], slot: float) -> int:
    """Show every n-th label so that neighbours keep a gap of at least half an em."""
    widest = max((text_width(label) for label in labels), default=0.0) + TICK_FONT / 2
    return max(1, math.ceil(widest / max(slot, 1.0)))


def column_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[Number]]],
    *,
    fmt: Callable[[float], str] = _fmt,
    unit: str = "",
    groups: Sequence[str] = (),
    width: int = 420,
    height: int = 220,
) -> ColumnChart:
    """Stacked columns, one per label; ``series`` is (css class, name, values). ``groups``
    (the year of each month) is written under the first label of each group."""
    top, step = nice_max(max(_totals(labels, series), default=0))
    ticks = [fmt(i * step) for i in range(round(top / step) + 1)]
    left = max(32, math.ceil(max(text_width(t) for t in ticks)) + 10)
    bottom = 44 if groups else 26
    frame = Frame(width, height, left=left, right=6, top=28, bottom=bottom)
    slot = frame.plot_width / max(len(labels), 1)
    columns, tops = _columns(frame, labels, series, fmt, top, slot)
    every = _every(labels, slot)
    x_labels = [
        Tick(round(frame.left + i * slot + slot / 2, 1), label)
        for i, label in enumerate(labels)
        if i % every == 0
    ]
    return ColumnChart(
        frame,
        columns,
        x_labels,
        y_ticks(frame, top, step),
        _apart(tops),
        unit,
        _groups(frame, groups, slot),
    )


def _apart(tops: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """The value labels above the columns that do not run into the one kept before them (left
    to right): twelve months of "71.497" would otherwise print as one string. Every value is
    still in the column's title and in the table under the chart."""
    kept: list[tuple[float, float, str]] = []
    for x, y, text in tops:
        if kept:
            before_x, _, before = kept[-1]
            if x - before_x < (text_width(before) + text_width(text)) / 2 + TICK_FONT / 4:
                continue
        kept.append((x, y, text))
    return kept


def _totals(labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[Number]]]) -> list:
    return [sum(values[i] for _, _, values in series) for i in range(len(labels))]


def _columns(
    frame: Frame,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[Number]]],
    fmt: Callable[[float], str],
    top: float,
    slot: float,
) -> tuple[list[Column], list[tuple[float, float, str]]]:
    bar = max(slot * 0.7, 1.0)
    columns: list[Column] = []
    tops: list[tuple[float, float, str]] = []
    for i, (label, total) in enumerate(zip(labels, _totals(labels, series), strict=True)):
        x = round(frame.left + i * slot + (slot - bar) / 2, 1)
        stacked = 0.0
        for css, name, values in series:
            value = values[i]
            if value:
                y_top = frame.y_of(stacked + value, top)
                y_bottom = frame.y_of(stacked, top)
                title = f"{label} {name}: {fmt(value)}".strip()
                height_px = round(y_bottom - y_top, 1)
                columns.append(Column(x, y_top, round(bar, 1), height_px, css, title))
                stacked += value
        if total:
            tops.append((round(x + bar / 2, 1), frame.y_of(total, top) - 4, fmt(total)))
    return columns, tops


def _groups(frame: Frame, groups: Sequence[str], slot: float) -> list[Tick]:
    """A group's name (the year) under the first of its labels, left-aligned to that column;
    a group too short to hold its name gives way to the next one."""
    kept: list[Tick] = []
    for i, group in enumerate(groups):
        if i and groups[i - 1] == group:
            continue
        tick = Tick(round(frame.left + i * slot, 1), group)
        if kept and kept[-1].at + text_width(kept[-1].label) + TICK_FONT / 2 > tick.at:
            kept.pop()
        kept.append(tick)
    return kept


# --- Horizontal bars (incidents by category) ----------------------------------------------------


@dataclass(frozen=True)
class HBar:
    y: float
    width: float
    height: float
    text_y: float
    value_x: float
    label: str
    value: str


@dataclass(frozen=True)
class BarChart:
    frame: Frame
    bars: list[HBar]
    row: int


def bar_chart(items: Sequence[tuple[str, Number]], *, width: int = 400, row: int = 28) -> BarChart:
    """One labelled bar per item (label left, value right of the bar); narrow enough that the
    labels stay legible when a phone scales it down."""
    widest = max((text_width(label, 15) for label, _ in items), default=0.0)
    left = int(min(max(widest + 12, 80), width * 0.5))
    frame = Frame(width, row * max(len(items), 1) + 8, left=left, right=40, top=4, bottom=4)
    top = max((value for _, value in items), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(items):
        y = frame.top + i * row
        width_px = round(frame.plot_width * value / top, 1)
        bars.append(
            HBar(
                y=y + 4,
                width=width_px,
                height=row - 8,
                text_y=y + row / 2 + 5,
                value_x=frame.left + width_px + 6,
                label=label,
                value=_fmt(value),
            )
        )
    return BarChart(frame, bars, row)


# --- The infection trend (incident room) --------------------------------------------------------


@dataclass(frozen=True)
class Line:
    css: str
    name: str
    points: str
    markers: list[tuple[float, float]]
    end: tuple[float, float, str]


@dataclass(frozen=True)
class LineChart:
    frame: Frame
    lines: list[Line]
    x_ticks: list[tuple[float, datetime]]
    y_ticks: list[Tick]


def step_chart(
    times: Sequence[datetime],
    series: Sequence[tuple[str, str, Sequence[Number]]],
    *,
    width: int = 520,
    height: int = 240,
) -> LineChart | None:
    """Counts that change at moments: each series a step line over time, labelled at its end."""
    if not times:
        return None
    frame = Frame(width, height, left=30, right=100, top=12, bottom=28)
    start, end = times[0], times[-1]
    span = (end - start).total_seconds() or 1.0
    top, step = nice_max(max((max(v, default=0) for _, _, v in series), default=0))

    def x_of(moment: datetime) -> float:
        offset = (moment - start).total_seconds() / span if len(times) > 1 else 0.5
        return round(frame.left + frame.plot_width * offset, 1)

    right = frame.left + frame.plot_width
    lines = []
    for css, name, values in series:
        points: list[tuple[float, float]] = []
        for moment, value in zip(times, values, strict=True):
            x, y = x_of(moment), frame.y_of(value, top)
            if points:
                points.append((x, points[-1][1]))
            points.append((x, y))
        points.append((right, points[-1][1]))
        markers = [(x_of(m), frame.y_of(v, top)) for m, v in zip(times, values, strict=True)]
        end_label = (right + 6, points[-1][1] + 4, f"{name} {_fmt(values[-1])}")
        lines.append(
            Line(css, name, " ".join(f"{x},{y}" for x, y in points), markers[-60:], end_label)
        )
    lines = _spread_end_labels(lines)
    ticks = [(x_of(start), start)] if len(times) == 1 else [(x_of(start), start), (right, end)]
    return LineChart(frame, lines, ticks, y_ticks(frame, top, step))


def _spread_end_labels(lines: list[Line], gap: float = 15.0) -> list[Line]:
    """Equal counts end at the same height: push their labels apart so each stays readable."""
    order = sorted(range(len(lines)), key=lambda i: lines[i].end[1])
    placed: dict[int, float] = {}
    previous = -math.inf
    for i in order:
        y = max(lines[i].end[1], previous + gap)
        placed[i] = previous = y
    return [
        Line(line.css, line.name, line.points, line.markers, (line.end[0], placed[i], line.end[2]))
        for i, line in enumerate(lines)
    ]
