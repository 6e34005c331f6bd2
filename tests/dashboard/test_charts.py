"""Chart geometry: pure functions, checked without a database or a browser."""

import itertools
from datetime import datetime, timedelta

import pytest

from dashboard import charts


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, (1.0, 1.0)), (3, (3.0, 1.0)), (7, (8.0, 2.0)), (38, (40.0, 10.0)), (0.6, (0.6, 0.2))],
)
def test_the_axis_top_is_a_round_number_above_the_largest_value(value, expected):
    assert charts.nice_max(value) == pytest.approx(expected)


def test_a_sparkline_breaks_where_there_is_nothing_to_measure():
    line = charts.sparkline([1, 2, None, 4, None, None, 3], width=70, height=20)
    assert len(line.segments) == 1  # 1→2; 4 and 3 stand alone
    assert len(line.dots) == 2
    assert line.last == line.dots[-1]
    xs = [float(p.split(",")[0]) for p in line.segments[0].split()]
    assert xs == sorted(xs)


def test_an_empty_sparkline_draws_nothing():
    line = charts.sparkline([None, None])
    assert line.segments == [] and line.dots == [] and line.last is None


def test_stacked_columns_add_up_and_stay_inside_the_frame():
    chart = charts.column_chart(
        ["1月", "2月", "3月"], [("level-1", "L1", [1, 0, 2]), ("level-2", "L2", [2, 0, 1])]
    )
    assert [column.css for column in chart.columns] == ["level-1", "level-2", "level-1", "level-2"]
    assert [text for _, _, text in chart.totals] == ["3", "3"]
    frame = chart.frame
    for column in chart.columns:
        assert frame.top <= column.y and column.y + column.height <= frame.baseline + 0.1
    assert chart.y_ticks[0].label == "0" and chart.y_ticks[-1].label == "3"


def test_month_labels_thin_out_on_a_long_period():
    chart = charts.column_chart([f"m{i}" for i in range(24)], [("bar", "n", [1] * 24)])
    assert len(chart.x_labels) == 12


def test_horizontal_bars_are_proportional():
    chart = charts.bar_chart([("標的型攻撃メール", 10), ("ランサムウェア", 5)])
    assert chart.bars[0].width == pytest.approx(2 * chart.bars[1].width)
    assert chart.bars[1].y > chart.bars[0].y


def test_the_step_chart_holds_each_count_until_it_changes():
    start = datetime(2026, 11, 1, 9, 0)
    times = [start, start + timedelta(hours=1)]
    chart = charts.step_chart(times, [("effective", "感染", [1, 2]), ("isolated", "隔離", [0, 1])])
    effective = chart.lines[0]
    points = [tuple(map(float, p.split(","))) for p in effective.points.split()]
    assert points[1][1] == points[0][1]  # horizontal first: the count held until the change
    assert points[-1][0] == chart.frame.plot_right
    assert effective.end[2] == "感染 2"
    assert [x for x, _ in chart.x_ticks] == [chart.frame.left, chart.frame.plot_right]


def test_equal_counts_get_labels_that_do_not_overlap():
    times = [datetime(2026, 11, 1, 9, 0)]
    chart = charts.step_chart(times, [("a", "A", [1]), ("b", "B", [1]), ("c", "C", [1])])
    ys = sorted(line.end[1] for line in chart.lines)
    assert all(later - earlier >= 15 for earlier, later in itertools.pairwise(ys))


def test_no_points_no_chart():
    assert charts.step_chart([], [("a", "A", [])]) is None
