"""The home page's 30-day table written in one call (issue 20) is the markup the template's
loop wrote, in both languages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.utils import translation

from dashboard.selectors.trend import TrendDay
from dashboard.templatetags.home_ui import trend_day_rows

# The template's loop as it was (templates/dashboard/partials/tiles.html before issue 20).
LOOP = Template(
    '{% load dashboard_ui %}{% for day in days %}<tr><th scope="row">'
    '{{ day.day|date:"n/j (D)" }}</th><td>{{ day.reports }}</td><td>{{ day.incidents }}</td>'
    "<td>{{ day.triage|duration }}</td><td>{{ day.isolate|duration }}</td>"
    "<td>{{ day.decide|duration }}</td></tr>{% endfor %}"
)
DAYS = [
    TrendDay(date(2026, 11, 6) + timedelta(days=i), reports, incidents, triage, isolate, decide)
    for i, (reports, incidents, triage, isolate, decide) in enumerate(
        [
            (0, 0, None, None, None),
            (12, 3, timedelta(seconds=20), timedelta(minutes=45), timedelta(hours=3, minutes=20)),
            (1234, 1001, timedelta(days=2, hours=5), None, timedelta(minutes=1)),
            (7, 1, None, timedelta(days=31, minutes=7), None),
        ]
    )
]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_trend_table_is_the_markup_of_the_templates_loop(language):
    with translation.override(language):
        assert trend_day_rows(DAYS) == LOOP.render(Context({"days": DAYS}))
        assert trend_day_rows(DAYS) == LOOP.render(Context({"days": DAYS}))  # labels kept
