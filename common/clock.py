"""The one place the domain asks for the time, so tests can move it (time-machine).

A context may also run on a clock of its own: an exercise (訓練) replays a scenario on an
exercise clock, and every deadline, sweep and timeline entry written inside ``using(...)`` or
``frozen_at(...)`` follows that clock instead of the wall clock. The override is a context
variable, so it is local to the thread (or task) that set it and never leaks into a
concurrent request that handles real incidents.

One clock per object (issue 18): ``on(obj)`` runs a block on the clock the object lives on.
Apps above this one register a resolver (training: an exercise's incident, decision, task or
obligation → that exercise's clock, paused, scaled or stepped; None for a real object), and
``ObjectClockMiddleware`` applies it to every page and API call whose URL names such an object
(routes register how their URL names it), so the normal screens, the API and the exercise room
stamp the same exercise time. An override already in force (the exercise player's frozen
moment) wins over the resolver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


def reading() -> Reading | None:
    """The object clock this context runs on (an exercise's, read once), or None."""
    source = _source.get()
    return source if isinstance(source, Reading) else None


@contextmanager
def using(source: Source) -> Iterator[None]:
    """Run the block on another clock: ``now()`` asks ``source`` until the block ends."""
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)


# obj, write → the clock the object lives on, or None for the wall clock. ``write`` is True when
# the caller is about to change the object: the resolver may first play what is due (an
# exercise's injects and deadlines up to its now) and answers a clock frozen at that moment.
Resolver = Callable[[Any, bool], Source | None]
# request, resolver match → the object the URL names (an incident by reference, a decision …).
RouteObject = Callable[[Any, Any], Any]

_resolvers: list[Resolver] = []
_route_objects: list[RouteObject] = []


def register_resolver(resolver: Resolver) -> None:
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def register_route_object(finder: RouteObject) -> None:
    if finder not in _route_objects:
        _route_objects.append(finder)


def pk_route(prefix: str, find: Callable[[int], Any]) -> RouteObject:
    """A route finder: a URL named ``prefix…`` with an integer ``pk`` names ``find(pk)``."""

    def finder(request: Any, match: Any) -> Any:
        pk = str(match.kwargs.get("pk", ""))
        if not (match.url_name or "").startswith(prefix) or not pk.isdigit():
            return None
        return find(int(pk))

    finder.segment_hint = str.isdigit  # type: ignore[attr-defined]
    return finder


def may_name_object(path: str) -> bool:
    """Whether a registered route finder could see an object in ``path`` at all — cheap, so
    the middleware resolves the URL only then (issue 20). A finder says what one of the
    path's segments must look like (``segment_hint``: a pk is digits, an exercise incident's
    reference starts so); one without a hint makes every path a candidate."""
    hints = [getattr(finder, "segment_hint", None) for finder in _route_objects]
    if any(hint is None for hint in hints):
        return True
    segments = [segment for segment in path.split("/") if segment]
    return any(hint(segment) for hint in hints for segment in segments)


def source_for(obj: Any, *, write: bool = False) -> Source | None:
    """The clock of ``obj`` if it lives on one of its own (an exercise object), else None."""
    for resolver in _resolvers:
        source = resolver(obj, write)
        if source is not None:
            return source
    return None


def route_object(request: Any, match: Any) -> Any:
    """The first object a registered route finder sees in the URL, or None."""
    for finder in _route_objects:
        found = finder(request, match)
        if found is not None:
            return found
    return None


@contextmanager
def on(obj: Any, *, write: bool = False) -> Iterator[None]:
    """Run the block on the clock of ``obj`` (the current clock for a real object, or when an
    override is already in force)."""
    source = None if obj is None or is_overridden() else source_for(obj, write=write)
    if source is None:
        yield
        return
    with using(source):
        yield


@contextmanager
def frozen_at(at: datetime) -> Iterator[None]:
    """Run the block at one fixed moment (aware datetime)."""
    if timezone.is_naive(at):
        raise ValueError("frozen_at needs an aware datetime")
    with using(lambda: at):
        yield


@dataclass(frozen=True)
class Reading:
    """A clock read once, for one request or action: it stays at ``at``; ``speed`` says how
    fast the clock it was read from runs (0 when paused or stepped), so a page's countdown can
    keep ticking in exercise time in the browser."""

    at: datetime
    speed: float = 1.0

    def __call__(self) -> datetime:
        return self.at


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
