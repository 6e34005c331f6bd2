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


def test_long_values_above_twelve_columns_never_run_into_each_other():
    chart = charts.column_chart(_months_ja(), [("bar", "h", [71.497] * 12)])
    shown = chart.totals
    assert 3 <= len(shown) < 12
    for (x1, _, a), (x2, _, b) in itertools.pairwise(shown):
        assert x2 - x1 >= (charts.text_width(a) + charts.text_width(b)) / 2


def test_short_values_above_every_column_are_all_shown():
    chart = charts.column_chart(_months_ja(), [("bar", "n", [3] * 12)])
    assert [text for _, _, text in chart.totals] == ["3"] * 12


def test_month_labels_thin_out_on_a_long_period():
    chart = charts.column_chart([f"m{i}" for i in range(24)], [("bar", "n", [1] * 24)])
    assert 6 <= len(chart.x_labels) <= 12


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


def _months_ja() -> list[str]:
    return [f"{n}月" for n in (*range(12, 13), *range(1, 12))]


def test_month_labels_keep_a_gap_between_neighbours_at_the_largest_font():
    chart = charts.column_chart(_months_ja(), [("bar", "n", [1] * 12)])
    labels = chart.x_labels
    for left, right in itertools.pairwise(labels):
        half = (charts.text_width(left.label) + charts.text_width(right.label)) / 2
        assert right.at - left.at >= half + charts.TICK_FONT / 2


def test_the_y_axis_carries_its_unit_and_its_widest_tick_fits_the_margin():
    chart = charts.column_chart(["1月"], [("hours", "h", [1234.5])], unit="時間")
    assert chart.unit == "時間"
    widest = max(charts.text_width(tick.label) for tick in chart.y_ticks)
    assert widest + 6 <= chart.frame.left


def test_the_year_is_written_under_its_first_month_and_a_lone_month_gives_way():
    years = ["2025"] + ["2026"] * 11
    chart = charts.column_chart(_months_ja(), [("b", "n", [1] * 12)], groups=years)
    assert [tick.label for tick in chart.x_groups] == ["2026"]
    assert chart.group_y > chart.label_y > chart.frame.baseline


def test_category_labels_get_the_room_they_need_up_to_half_the_chart():
    short = charts.bar_chart([("その他", 1)])
    long = charts.bar_chart([("標的型攻撃メール（添付ファイル・URL）", 1)])
    assert short.frame.left < long.frame.left <= long.frame.width / 2
