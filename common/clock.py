"""The one place the domain asks for the time, so tests can move it (time-machine).

A context may also run on a clock of its own: an exercise (訓練) replays a scenario on an
exercise clock, and every deadline, sweep and timeline entry written inside ``using(...)`` or
``frozen_at(...)`` follows that clock instead of the wall clock. The override is a context
variable, so it is local to the thread (or task) that set it and never leaks into a
concurrent request that handles real incidents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

Source = Callable[[], datetime]

_source: ContextVar[Source | None] = ContextVar("clock_source", default=None)


def now() -> datetime:
    source = _source.get()
    return timezone.now() if source is None else source()


def wall_now() -> datetime:
    """The real time, whatever clock the current context runs on."""
    return timezone.now()


def is_overridden() -> bool:
    return _source.get() is not None


@contextmanager
def using(source: Source) -> Iterator[None]:
    """Run the block on another clock: ``now()`` asks ``source`` until the block ends."""
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)


@contextmanager
def frozen_at(at: datetime) -> Iterator[None]:
    """Run the block at one fixed moment (aware datetime)."""
    if timezone.is_naive(at):
        raise ValueError("frozen_at needs an aware datetime")
    with using(lambda: at):
        yield


@dataclass(frozen=True)
class ScaledClock:
    """Maps wall time to another time line: at ``anchor_wall`` it was ``anchor_at``, and it
    runs ``speed`` times as fast as the wall clock (0 = stopped, 1 = real time, 60 = an hour
    a minute)."""

    anchor_at: datetime
    anchor_wall: datetime
    speed: float

    def __call__(self) -> datetime:
        return self.at(timezone.now())

    def at(self, wall: datetime) -> datetime:
        return self.anchor_at + (wall - self.anchor_wall) * self.speed
