from datetime import UTC, datetime, timedelta

from django.utils import translation

from training.templatetags.training_ui import exercise_time

START = datetime(2026, 12, 6, 0, 0, tzinfo=UTC)  # 09:00 in Tokyo


def test_a_moment_on_the_start_day_shows_only_its_clock_time_and_offset(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    with translation.override("ja"):
        assert exercise_time(START + timedelta(minutes=65), START) == "10:05（+1:05）"


def test_a_moment_a_day_later_carries_its_date(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    with translation.override("ja"):
        assert exercise_time(START + timedelta(hours=24), START) == "12/7 09:00（+24:00）"
