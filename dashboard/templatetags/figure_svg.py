"""The statistics figures' repeated parts (chart elements, table rows), drawn in Python.

``dashboard/partials/figure.html`` wrote them with ``{% for %}`` loops: seven charts and tables
of twelve months are about 1 600 template variables, most of the page's time once its figures
come from the rollup (issue 20). These tags write the same markup: every value goes through
``render_value_in_context``, as a template variable would (escaping, and ``{% localize off %}``
inside the charts), so the page is unchanged to the byte (tests/dashboard/test_statistics.py).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import add
from django.utils.safestring import SafeString, mark_safe

from dashboard.charts import BarChart, ColumnChart

register = template.Library()


def _writer(context: template.Context):  # type: ignore[no-untyped-def]
    return lambda value: render_value_in_context(value, context)


@register.simple_tag(takes_context=True)
def column_parts(context: template.Context, chart: ColumnChart) -> SafeString:
    """The grid and ticks, columns, totals, unit and month labels of a column chart."""
    v = _writer(context)
    frame = chart.frame
    left, right, tick_x = v(frame.left), v(frame.plot_right), v(add(frame.left, -6))
    ticks = "".join(
        f'<line class="grid" x1="{left}" x2="{right}" y1="{v(t.at)}" y2="{v(t.at)}"/>'
        f'<text class="tick" x="{tick_x}" y="{v(t.at)}" dy="4" text-anchor="end">'
        f"{v(t.label)}</text>"
        for t in chart.y_ticks
    )
    columns = "".join(
        f'<rect class="bar {v(c.css)}" x="{v(c.x)}" y="{v(c.y)}" width="{v(c.width)}" '
        f'height="{v(c.height)}"><title>{v(c.title)}</title></rect>'
        for c in chart.columns
    )
    totals = "".join(
        f'<text class="bar-value" x="{v(x)}" y="{v(y)}" text-anchor="middle">{v(text)}</text>'
        for x, y, text in chart.totals
    )
    unit = f'<text class="axis-unit" x="4" y="14">{v(chart.unit)}</text>' if chart.unit else ""
    label_y, group_y = v(chart.label_y), v(chart.group_y)
    labels = "".join(
        f'<text class="tick" x="{v(t.at)}" y="{label_y}" text-anchor="middle">{v(t.label)}</text>'
        for t in chart.x_labels
    )
    groups = "".join(
        f'<text class="tick axis-group" x="{v(t.at)}" y="{group_y}">{v(t.label)}</text>'
        for t in chart.x_groups
    )
    return mark_safe(  # noqa: S308 - every value above went through render_value_in_context
        f"{ticks}\n    {columns}\n    {totals}\n    {unit}\n    {labels}\n    {groups}"
    )


@register.simple_tag(takes_context=True)
def bar_parts(context: template.Context, chart: BarChart) -> SafeString:
    """The labelled bars of a bar chart."""
    v = _writer(context)
    label_x, left = v(add(chart.frame.left, -8)), v(chart.frame.left)
    return mark_safe(  # noqa: S308 - every value went through render_value_in_context
        "".join(
            f'<g class="hbar"><text class="bar-label" x="{label_x}" y="{v(b.text_y)}" '
            f'text-anchor="end">{v(b.label)}</text><rect class="bar" x="{left}" y="{v(b.y)}" '
            f'width="{v(b.width)}" height="{v(b.height)}"/><text class="bar-value" '
            f'x="{v(b.value_x)}" y="{v(b.text_y)}">{v(b.value)}</text></g>'
            for b in chart.bars
        )
    )


@register.simple_tag(takes_context=True)
def table_rows(context: template.Context, rows: list[list[Any]]) -> SafeString:
    """A figure's table body: the first cell of a row is its header."""
    v = _writer(context)
    return mark_safe(  # noqa: S308 - every value went through render_value_in_context
        "".join(
            "<tr>"
            + "".join(
                f'<th scope="row">{v(cell)}</th>' if i == 0 else f"<td>{v(cell)}</td>"
                for i, cell in enumerate(row)
            )
            + "</tr>"
            for row in rows
        )
    )
