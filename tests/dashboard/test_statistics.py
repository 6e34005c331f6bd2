"""Statistics: monthly figures in the organisation's calendar, exercises left out, the CSV."""

import csv
import io
import re
import zoneinfo
from datetime import datetime, timedelta

import pytest
import time_machine

from bcp.models import Decision
from dashboard.selectors.statistics import statistics
from incidents.models import Event
from tests.conftest import _holder

JST = zoneinfo.ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=JST)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=JST)


@pytest.fixture
def history(seed, organisation):
    """Three months of an organisation's work, plus an exercise and an old incident."""
    may = seed.incidents(1, declared_at=at(5, 1, 10), closed_at=at(5, 3, 10), status="CLOSED")
    seed.incidents(1, declared_at=at(5, 20, 9), peak_level=2)
    june = seed.incidents(1, declared_at=at(6, 2, 9), category="RANSOMWARE", peak_level=3)
    seed.incidents(1, declared_at=at(6, 3, 9), is_exercise=True)
    seed.incidents(1, declared_at=at(1, 10, 9))
    # The first of May 00:30 in Tokyo is still April in UTC: it counts for May.
    seed.incidents(1, declared_at=at(5, 1, 0, 30))
    events = [
        (at(5, 2, 9), at(5, 2, 10), "PROMOTED", ""),
        (at(5, 3, 9), at(5, 3, 12), "NOT_INCIDENT", "not-an-incident:refuted"),
        (at(5, 4, 9), None, "RECEIVED", ""),
    ]
    Event.objects.bulk_create(
        Event(
            organisation=organisation,
            summary="不審メール",
            channel="ONE_TAP",
            received_at=received,
            triaged_at=triaged,
            status=status,
            disposition=disposition,
        )
        for received, triaged, status, disposition in events
    )
    seed.infected(june[0], 2, observed=at(6, 2, 10), isolated=at(6, 2, 10, 30))
    seed.decisions(
        june,
        type="ESCALATE_LEVEL",
        required_role="CSIRT_LEAD",
        status="DECIDED",
        outcome="APPROVED",
        rationale="感染2台目",
        opened_at=at(6, 2, 10),
        due_at=at(6, 2, 10, 15),
        decided_at=at(6, 2, 10, 20),
    )
    return may


def _figures(organisation, period=3):
    with time_machine.travel(NOW, tick=False):
        return statistics(organisation_id=organisation.pk, now=NOW, period=period)


def test_incidents_are_counted_per_month_by_category_and_peak_level(organisation, history):
    stats = _figures(organisation)
    may, june = stats.months[1], stats.months[2]
    assert [m.month.month for m in stats.months] == [4, 5, 6]
    assert stats.months[0].incidents == 0
    assert may.incidents == 3
    assert may.by_level == {1: 2, 2: 1, 3: 0}
    assert june.by_category == {"RANSOMWARE": 1}  # the exercise is not counted
    assert stats.total.incidents == 4
    assert stats.categories[0][0] == "TARGETED_EMAIL"


def test_mean_times_and_the_false_positive_ratio(organisation, history):
    stats = _figures(organisation)
    may, june = stats.months[1], stats.months[2]
    assert may.triage.count == 2
    assert may.triage.average == timedelta(hours=2)
    assert may.resolve.average == timedelta(days=2)
    assert (may.false_positives, may.triage_closed) == (1, 2)
    assert may.false_positive_percent == 50.0
    assert june.isolate.average == timedelta(minutes=30)
    assert june.decide.average == timedelta(minutes=20)
    assert stats.decisions[0].type == "ESCALATE_LEVEL"
    assert stats.decisions[0].late == 1
    assert stats.total.false_positive_percent == 50.0


def test_an_exercise_decision_is_not_counted(organisation, history, seed):
    exercise = seed.incidents(1, declared_at=at(6, 4, 9), is_exercise=True)
    seed.decisions(
        exercise,
        status="DECIDED",
        outcome="APPROVED",
        rationale="訓練",
        opened_at=at(6, 4, 10),
        decided_at=at(6, 4, 12),
    )
    assert Decision.objects.filter(decided_at__isnull=False).count() == 2
    assert _figures(organisation).total.decide.count == 1


def test_the_page_shows_each_chart_with_its_table(as_user, isms_office, history):
    with time_machine.travel(NOW, tick=False):
        response = as_user(isms_office).get("/statistics/?months=3", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = response.text
    for figure in (
        "by-level",
        "by-category",
        "mtta",
        "mttr",
        "isolate",
        "decide",
        "false-positives",
    ):
        assert f'id="figure-{figure}"' in text
    assert text.count('<svg class="chart') == 7
    assert text.count('<details class="table-alt">') == 7
    assert "Targeted-attack email" in text
    assert "50.0%" in text


def test_the_csv_has_a_row_per_month_and_measure(as_user, isms_office, history):
    with time_machine.travel(NOW, tick=False):
        response = as_user(isms_office).get("/statistics.csv?months=3", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "isms-csirt-statistics-2026-04-3m.csv" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Month", "Measure", "Breakdown", "Value", "Count"]
    assert ["2026-05", "MTTA: mean time to triage (hours)", "", "2.00", "2"] in rows
    assert ["2026-05", "False-positive ratio (%)", "", "50.0", "2"] in rows
    assert ["2026-06", "Incidents by category", "Ransomware", "1", "1"] in rows
    assert ["", "Mean decision time (hours)", "Raise the level", "0.33", "1"] in rows


def test_the_csv_is_in_japanese_for_a_japanese_reader(as_user, isms_office, history):
    with time_machine.travel(NOW, tick=False):
        response = as_user(isms_office).get("/statistics.csv?months=3", HTTP_ACCEPT_LANGUAGE="ja")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == "月,指標,内訳,値,件数"


@pytest.mark.parametrize("path", ["/statistics/", "/statistics.csv"])
def test_a_reporter_may_not_see_the_statistics(as_user, reporter, path):
    assert as_user(reporter).get(path).status_code == 403


def test_another_organisations_office_sees_none_of_ours(as_user, outsider, history):
    stranger = _holder(outsider.organisation, "ISMS_OFFICE", "stranger")
    with time_machine.travel(NOW, tick=False):
        response = as_user(stranger).get("/statistics/?months=3")
    assert response.context["stats"].total.incidents == 0
    assert response.context["stats"].decisions == []


@pytest.mark.parametrize("rows", [10, 100])
def test_the_statistics_read_a_fixed_number_of_queries(
    as_user, isms_office, seed, rows, django_assert_num_queries
):
    incidents = seed.incidents(
        rows, declared_at=at(6, 1, 9), status="CLOSED", closed_at=at(6, 2, 9)
    )
    seed.reports(rows, status="NOT_INCIDENT")
    seed.infected(incidents[0], rows, observed=at(6, 1, 10), isolated=at(6, 1, 11))
    seed.decisions(
        incidents, status="DECIDED", outcome="APPROVED", rationale="可", decided_at=at(6, 1, 10)
    )
    client = as_user(isms_office)
    with time_machine.travel(NOW, tick=False):
        client.get("/statistics/")
        with django_assert_num_queries(QUERIES_STATISTICS):
            assert client.get("/statistics/").status_code == 200


# session, the user (with organisation, roles and the bell); is a rollup kept (no: this
# organisation's rows were written in bulk, so the page computes live); five grouped reads.
QUERIES_STATISTICS = 8


def test_each_column_chart_names_its_unit_and_its_months_in_japanese(as_user, isms_office, history):
    with time_machine.travel(NOW, tick=False):
        text = as_user(isms_office).get("/statistics/?months=3", HTTP_ACCEPT_LANGUAGE="ja").text
    units = re.findall(r'<text class="axis-unit"[^>]*>([^<]*)</text>', text)
    assert units == ["件", "時間", "時間", "時間", "時間", "%"]
    months = re.findall(
        r'<text class="tick" x="[^"]*" y="[^"]*" text-anchor="middle">([^<]*)<', text
    )
    assert months[:3] == ["4月", "5月", "6月"]
    assert '<text class="tick axis-group"' in text and ">2026</text>" in text


# figure.html before its loops became the figure_svg tags: the tags must write the same bytes.
LOOPS = {
    "{% bar_parts chart %}": (
        '{% for bar in chart.bars %}<g class="hbar"><text class="bar-label" '
        'x="{{ chart.frame.left|add:-8 }}" y="{{ bar.text_y }}" text-anchor="end">'
        '{{ bar.label }}</text><rect class="bar" x="{{ chart.frame.left }}" y="{{ bar.y }}" '
        'width="{{ bar.width }}" height="{{ bar.height }}"/><text class="bar-value" '
        'x="{{ bar.value_x }}" y="{{ bar.text_y }}">{{ bar.value }}</text></g>{% endfor %}'
    ),
    "{% column_parts chart %}": "\n    ".join(
        [
            '{% for tick in chart.y_ticks %}<line class="grid" x1="{{ chart.frame.left }}" '
            'x2="{{ chart.frame.plot_right }}" y1="{{ tick.at }}" y2="{{ tick.at }}"/>'
            '<text class="tick" x="{{ chart.frame.left|add:-6 }}" y="{{ tick.at }}" dy="4" '
            'text-anchor="end">{{ tick.label }}</text>{% endfor %}',
            '{% for column in chart.columns %}<rect class="bar {{ column.css }}" '
            'x="{{ column.x }}" y="{{ column.y }}" width="{{ column.width }}" '
            'height="{{ column.height }}"><title>{{ column.title }}</title></rect>{% endfor %}',
            '{% for x, y, text in chart.totals %}<text class="bar-value" x="{{ x }}" '
            'y="{{ y }}" text-anchor="middle">{{ text }}</text>{% endfor %}',
            '{% if chart.unit %}<text class="axis-unit" x="4" y="14">{{ chart.unit }}</text>'
            "{% endif %}",
            '{% for tick in chart.x_labels %}<text class="tick" x="{{ tick.at }}" '
            'y="{{ chart.label_y }}" text-anchor="middle">{{ tick.label }}</text>{% endfor %}',
            '{% for tick in chart.x_groups %}<text class="tick axis-group" x="{{ tick.at }}" '
            'y="{{ chart.group_y }}">{{ tick.label }}</text>{% endfor %}',
        ]
    ),
    "{% table_rows figure.rows %}": (
        "{% for row in figure.rows %}<tr>{% for cell in row %}{% if forloop.first %}"
        '<th scope="row">{{ cell }}</th>{% else %}<td>{{ cell }}</td>{% endif %}{% endfor %}'
        "</tr>{% endfor %}"
    ),
}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_figure_tags_write_what_the_template_loops_wrote(organisation, history, language):
    from pathlib import Path

    from django.conf import settings
    from django.template import engines
    from django.utils import translation

    from dashboard.figures import statistics_figures

    source = (Path(settings.BASE_DIR) / "templates/dashboard/partials/figure.html").read_text()
    looped = source
    for tag, loop in LOOPS.items():
        assert tag in source
        looped = looped.replace(tag, loop)
    engine = engines["django"]
    with translation.override(language):
        figures = statistics_figures(_figures(organisation, period=12))
        for figure in figures:
            tags = engine.from_string(source).render({"figure": figure})
            loops = engine.from_string(looped).render({"figure": figure})
            assert tags == loops
    assert any(figure.is_bars for figure in figures)
