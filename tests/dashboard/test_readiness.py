"""The readiness tile counts in the database what training's coverage counts in Python."""

from datetime import date

from dashboard.selectors import tiles
from tests.training.conftest import basics_course, make_person, units  # noqa: F401
from training.models import Completion
from training.selectors import coverage_report
from training.services import courses


def _both(user):
    tile = tiles.training_readiness(user)
    result = coverage_report(user=user, trend=False).result
    total = result.total
    return tile, tiles.Readiness(total.required, total.covered, total.percent, len(result.missing))


def test_the_tile_counts_as_the_coverage_report_does(
    isms_office,
    organisation,
    basics_course,  # noqa: F811
    make_person,  # noqa: F811
):
    # A second course for employees only, and one that is not active (not counted).
    extra = courses.course_create(
        organisation=organisation,
        actor=isms_office,
        code="PRIV",
        title="個人情報",
        topics=["TARGETED_EMAIL_BASICS"],
        validity_months=None,
        required_for=["EMPLOYEE"],
        required_since=date(2024, 4, 1),
        due_within_days=30,
    )
    inactive = courses.course_create(
        organisation=organisation,
        actor=isms_office,
        code="OLD",
        title="旧講座",
        topics=["TARGETED_EMAIL_BASICS"],
        validity_months=12,
        required_for=["DISPATCHED"],
        required_since=date(2024, 4, 1),
        due_within_days=30,
        active=False,
    )
    both = make_person()  # both courses held
    basic_only = make_person()  # lacks PRIV
    expired = make_person(population="CONTRACTOR")  # BASIC expired
    dispatched = make_person(population="DISPATCHED")  # BASIC held; the inactive course lacks
    make_person(population="EXECUTIVE")  # nothing held
    make_person(left_on=date(2025, 1, 1))  # left: not counted
    make_person(start=date(2099, 1, 1))  # not started: not counted
    failed = make_person()
    recent = date.today().replace(day=1)
    for person, course, on in [
        (both, basics_course, recent),
        (both, extra, date(2020, 1, 1)),
        (basic_only, basics_course, recent),
        (expired, basics_course, date(2020, 1, 1)),
        (dispatched, basics_course, recent),
        (dispatched, inactive, date(2020, 1, 1)),
    ]:
        score = 100 if course == basics_course else None
        courses.completion_record(
            person=person, course=course, actor=isms_office, completed_on=on, score=score
        )
    courses.completion_record(
        person=failed, course=basics_course, actor=isms_office, completed_on=recent, score=10
    )
    assert Completion.objects.filter(status="ATTENDED").count() == 1
    tile, report = _both(isms_office)
    assert tile == report
    assert (tile.required, tile.covered, tile.missing) == (6, 2, 4)


def test_without_required_courses_everyone_is_ready(isms_office, make_person):  # noqa: F811
    make_person()
    tile, report = _both(isms_office)
    assert tile == report == tiles.Readiness(0, 0, 100, 0)
