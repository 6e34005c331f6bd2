"""Who has valid training, who is due, who is overdue: pure functions over plain facts.

The selectors load people, courses and completions with a handful of queries; everything
below is arithmetic on dates, so coverage on any day (and its trend) costs no further query.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from training.enums import DueState

DUE_SOON_DAYS = 30


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(completed_on: date, validity_months: int | None) -> date | None:
    """The last day a completion counts: the day before the same date ``months`` later."""
    if validity_months is None:
        return None
    return add_months(completed_on, validity_months) - timedelta(days=1)


@dataclass(frozen=True)
class PersonFact:
    id: int
    name: str
    employee_no: str
    population: str
    unit_id: int
    start_date: date
    left_on: date | None

    def active(self, on: date) -> bool:
        return self.start_date <= on and (self.left_on is None or self.left_on > on)


@dataclass(frozen=True)
class CourseFact:
    id: int
    code: str
    title: str
    required_for: frozenset[str]
    due_within_days: int
    required_since: date


@dataclass(frozen=True)
class CompletionFact:
    person_id: int
    course_id: int
    completed_on: date
    valid_until: date | None  # None: never expires

    def valid_on(self, on: date) -> bool:
        return self.completed_on <= on and (self.valid_until is None or self.valid_until >= on)


def index_completions(
    completions: Iterable[CompletionFact],
) -> dict[tuple[int, int], list[CompletionFact]]:
    by_key: dict[tuple[int, int], list[CompletionFact]] = defaultdict(list)
    for completion in completions:
        by_key[(completion.person_id, completion.course_id)].append(completion)
    return by_key


def has_valid(completions: list[CompletionFact], on: date) -> bool:
    return any(c.valid_on(on) for c in completions)


@dataclass(frozen=True)
class DueStatus:
    state: str
    due_on: date | None
    valid_until: date | None
    last_completed_on: date | None


def due_status(
    person: PersonFact, course: CourseFact, completions: list[CompletionFact], on: date
) -> DueStatus:
    """A required course: valid (maybe due again soon), due within its grace, or overdue."""
    passed = [c for c in completions if c.completed_on <= on]
    last = max(passed, key=lambda c: c.completed_on, default=None)
    last_on = last.completed_on if last else None
    if last is not None and last.valid_on(on):
        if last.valid_until is not None and last.valid_until - on <= timedelta(DUE_SOON_DAYS):
            return DueStatus(DueState.DUE, last.valid_until, last.valid_until, last_on)
        return DueStatus(DueState.VALID, last.valid_until, last.valid_until, last_on)
    if last is not None and last.valid_until is not None:
        return DueStatus(DueState.OVERDUE, last.valid_until, last.valid_until, last_on)
    start = max(person.start_date, course.required_since)
    due = start + timedelta(days=course.due_within_days)
    return DueStatus(DueState.DUE if on <= due else DueState.OVERDUE, due, None, last_on)


@dataclass
class CoverageRow:
    key: str | int
    label: str
    required: int = 0
    covered: int = 0

    @property
    def share(self) -> float:
        return self.covered / self.required if self.required else 1.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass
class Missing:
    person: PersonFact
    courses: list[CourseFact]


@dataclass
class Coverage:
    on: date
    total: CoverageRow
    by_population: dict[str, CoverageRow] = field(default_factory=dict)
    by_unit: dict[int, CoverageRow] = field(default_factory=dict)
    missing: list[Missing] = field(default_factory=list)


def coverage(
    people: Iterable[PersonFact],
    courses: list[CourseFact],
    completions: dict[tuple[int, int], list[CompletionFact]],
    on: date,
) -> Coverage:
    """On ``on``: of the active people some course is required for, who has valid training
    for every such course; the others are listed by name with what they lack."""
    result = Coverage(on=on, total=CoverageRow("all", ""))
    for person in people:
        if not person.active(on):
            continue
        required = [c for c in courses if person.population in c.required_for]
        if not required:
            continue
        lacking = [c for c in required if not has_valid(completions.get((person.id, c.id), []), on)]
        rows = (
            result.total,
            result.by_population.setdefault(
                person.population, CoverageRow(person.population, person.population)
            ),
            result.by_unit.setdefault(person.unit_id, CoverageRow(person.unit_id, "")),
        )
        for row in rows:
            row.required += 1
            row.covered += not lacking
        if lacking:
            result.missing.append(Missing(person, lacking))
    result.missing.sort(key=lambda m: (m.person.unit_id, m.person.name, m.person.employee_no))
    return result


def month_ends(on: date, months: int) -> list[date]:
    """The last day of each of the ``months`` months up to ``on`` (``on`` itself last)."""
    days = []
    for back in range(months - 1, 0, -1):
        first = add_months(on.replace(day=1), -back)
        days.append(add_months(first, 1) - timedelta(days=1))
    return [*days, on]
