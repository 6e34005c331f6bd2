"""The context-local clock: frozen, scaled, and never leaking into another thread."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from common import clock

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_now_follows_the_wall_clock_outside_any_override():
    with time_machine.travel(T0, tick=False):
        assert clock.now() == T0
        assert not clock.is_overridden()


def test_frozen_at_overrides_now_for_the_block_only():
    exercise_time = datetime(2030, 1, 1, 10, 0, tzinfo=UTC)
    with time_machine.travel(T0, tick=False):
        with clock.frozen_at(exercise_time):
            assert clock.now() == exercise_time
            assert clock.wall_now() == T0
            with clock.frozen_at(exercise_time + timedelta(minutes=5)):
                assert clock.now() == exercise_time + timedelta(minutes=5)
            assert clock.now() == exercise_time
        assert clock.now() == T0


def test_a_scaled_clock_runs_faster_than_the_wall():
    accelerated = clock.ScaledClock(anchor_at=T0, anchor_wall=T0, speed=60)
    with time_machine.travel(T0 + timedelta(seconds=30), tick=False), clock.using(accelerated):
        assert clock.now() == T0 + timedelta(minutes=30)


def test_the_override_is_local_to_its_thread():
    seen = {}

    def other_thread():
        seen["other"] = clock.is_overridden()

    with clock.frozen_at(T0):
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
    assert seen == {"other": False}


def test_frozen_at_refuses_a_naive_time():
    with pytest.raises(ValueError):
        clock.frozen_at(datetime(2030, 1, 1)).__enter__()
