"""Coverage: the share of people with valid training, by population and department, the
named list of those missing it, its trend over the months, and the CSV for the ISMS audit.

Three queries (people, courses, completions) whatever the organisation's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from accounts.models import User
from common.csvexport import csv_bytes
from training import readiness
from training.enums import Population
from training.models import Course, Person
from training.selectors.courses import (
    completions_visible_to,
    course_fact,
    courses_of,
    today,
    valid_completions,
)
from training.selectors.people import unit_paths

TREND_MONTHS = 12


@dataclass
class CoverageView:
    on: date
    courses: list[Course]
    result: readiness.Coverage
    units: dict[int, str]
    trend: list[tuple[date, int]] = field(default_factory=list)

    @property
    def population_rows(self) -> list[tuple[str, readiness.CoverageRow]]:
        rows = self.result.by_population
        return [(label, rows[code]) for code, label in Population.choices if code in rows]

    @property
    def unit_rows(self) -> list[tuple[str, readiness.CoverageRow]]:
        rows = [(self.units.get(pk, "?"), row) for pk, row in self.result.by_unit.items()]
        return sorted(rows, key=lambda item: item[0])

    @property
    def missing_rows(self) -> list[tuple[readiness.Missing, str]]:
        return [(m, self.units.get(m.person.unit_id, "")) for m in self.result.missing]


def _inputs(
    user: User, course: Course | None
) -> tuple[list[Course], list[readiness.PersonFact], dict]:
    if course is not None:
        courses = [course] if course.required_for else []
    else:
        courses = [c for c in courses_of(user).filter(active=True) if c.required_for]
    people = [
        readiness.PersonFact(*row)
        for row in Person.objects.filter(organisation_id=user.organisation_id).values_list(
            "id", "name", "employee_no", "population", "unit_id", "start_date", "left_on"
        )
    ]
    completions = completions_visible_to(user).filter(course__in=[c.pk for c in courses])
    return courses, people, readiness.index_completions(valid_completions(completions))


def coverage_report(
    *, user: User, course: Course | None = None, on: date | None = None, trend: bool = True
) -> CoverageView:
    """Coverage of one required course, or of every active required course together."""
    on = on or today()
    courses, people, completions = _inputs(user, course)
    facts = [course_fact(c) for c in courses]
    view = CoverageView(
        on=on,
        courses=courses,
        result=readiness.coverage(people, facts, completions, on),
        units=unit_paths(user.organisation_id),
    )
    if trend:
        view.trend = [
            (day, readiness.coverage(people, facts, completions, day).total.percent)
            for day in readiness.month_ends(on, TREND_MONTHS)
        ]
    return view


def coverage_csv(view: CoverageView) -> bytes:
    """For the ISMS audit: the totals, each population and department, then every person
    who lacks valid training with what they lack."""
    population = dict(Population.choices)
    total = view.result.total
    rows: list[list[object]] = [
        [_("Coverage on"), view.on.isoformat()],
        [_("Courses"), " / ".join(f"{c.code} {c.title}" for c in view.courses)],
        [],
        [_("Group"), "", _("Required"), _("Valid"), _("Share (%)")],
        [_("Everyone"), "", total.required, total.covered, total.percent],
    ]
    rows += [
        [_("Population"), label, row.required, row.covered, row.percent]
        for label, row in view.population_rows
    ]
    rows += [
        [_("Department"), name, row.required, row.covered, row.percent]
        for name, row in view.unit_rows
    ]
    rows += [
        [],
        [
            _("Lacking valid training"),
            _("Staff number"),
            _("Name"),
            _("Population"),
            _("Department"),
            _("Courses lacking"),
        ],
    ]
    rows += [
        [
            "",
            m.person.employee_no,
            m.person.name,
            population.get(m.person.population, m.person.population),
            unit,
            " / ".join(c.code for c in m.courses),
        ]
        for m, unit in view.missing_rows
    ]
    return csv_bytes(rows)
