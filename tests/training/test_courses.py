"""Courses, sessions and completions: results, validity, due and overdue per person."""

from datetime import date

import pytest

from common.errors import Forbidden, InvalidInput
from training import readiness
from training.enums import DueState
from training.models import Assignment, Completion
from training.selectors import person_training
from training.services import courses


def test_a_passing_score_completes_the_course_for_its_validity(
    make_person, basics_course, isms_office
):
    person = make_person()
    completion = courses.completion_record(
        person=person,
        course=basics_course,
        actor=isms_office,
        completed_on=date(2025, 4, 10),
        score=90,
    )
    assert completion.status == "COMPLETED"
    assert completion.valid_until == date(2026, 4, 9)


def test_a_failing_score_is_attendance_and_counts_for_nothing(
    make_person, basics_course, isms_office
):
    person = make_person()
    completion = courses.completion_record(
        person=person,
        course=basics_course,
        actor=isms_office,
        completed_on=date(2025, 4, 10),
        score=60,
    )
    assert (completion.status, completion.valid_until) == ("ATTENDED", None)
    status = person_training(person, on=date(2025, 4, 11))[0].status
    assert status.state == DueState.OVERDUE


def test_a_course_with_a_quiz_needs_the_score(make_person, basics_course, isms_office):
    with pytest.raises(InvalidInput) as refused:
        courses.completion_record(
            person=make_person(),
            course=basics_course,
            actor=isms_office,
            completed_on=date(2025, 4, 10),
        )
    assert refused.value.code == "score_required"
    assert Completion.objects.count() == 0


def test_a_session_records_everyone_who_attended(make_person, basics_course, isms_office):
    session = courses.session_create(
        course=basics_course, actor=isms_office, held_on=date(2025, 6, 2), delivery="CLASSROOM"
    )
    people = [make_person(), make_person(population="DISPATCHED")]
    courses.session_attendance_record(
        session=session, actor=isms_office, entries=[(people[0], 95), (people[1], 80)]
    )
    assert set(session.completions.values_list("person", "status")) == {
        (people[0].pk, "COMPLETED"),
        (people[1].pk, "COMPLETED"),
    }


@pytest.mark.parametrize(
    ("start", "completed", "on", "state", "due"),
    [
        # a new joiner has 30 days from the start date
        (date(2025, 5, 1), None, date(2025, 5, 20), DueState.DUE, date(2025, 5, 31)),
        (date(2025, 5, 1), None, date(2025, 6, 1), DueState.OVERDUE, date(2025, 5, 31)),
        # valid for a year; due again in its last 30 days; overdue once expired
        (date(2024, 1, 1), date(2025, 1, 15), date(2025, 6, 1), DueState.VALID, date(2026, 1, 14)),
        (date(2024, 1, 1), date(2025, 1, 15), date(2025, 12, 20), DueState.DUE, date(2026, 1, 14)),
        (
            date(2024, 1, 1),
            date(2025, 1, 15),
            date(2026, 1, 15),
            DueState.OVERDUE,
            date(2026, 1, 14),
        ),
        # someone who started before the course was required: 30 days from required_since
        (date(2020, 1, 1), None, date(2024, 4, 20), DueState.DUE, date(2024, 5, 1)),
    ],
)
def test_due_and_overdue_per_person(
    make_person, basics_course, isms_office, start, completed, on, state, due
):
    person = make_person(start=start)
    if completed:
        courses.completion_record(
            person=person,
            course=basics_course,
            actor=isms_office,
            completed_on=completed,
            score=100,
        )
    status = person_training(person, on=on)[0].status
    assert (status.state, status.due_on) == (state, due)


def test_passing_closes_the_open_assignment(make_person, basics_course, isms_office):
    person = make_person()
    assignment = courses.assignment_create(
        person=person, course=basics_course, actor=isms_office, due_on=date(2025, 7, 1)
    )
    courses.completion_record(
        person=person,
        course=basics_course,
        actor=isms_office,
        completed_on=date(2025, 6, 20),
        score=85,
    )
    assignment.refresh_from_db()
    assert assignment.status == "DONE"
    assert assignment.completion.completed_on == date(2025, 6, 20)


def test_only_the_isms_office_records_training(make_person, basics_course, reporter):
    with pytest.raises(Forbidden):
        courses.completion_record(
            person=make_person(),
            course=basics_course,
            actor=reporter,
            completed_on=date(2025, 6, 20),
            score=85,
        )
    assert Completion.objects.count() == 0
    assert Assignment.objects.count() == 0


def test_unknown_topics_and_populations_are_refused(organisation, isms_office):
    with pytest.raises(InvalidInput) as refused:
        courses.course_create(
            organisation=organisation,
            actor=isms_office,
            code="X",
            title="x",
            topics=["SPAM"],
            required_for=["INTERN"],
        )
    assert refused.value.details["field"] == "topics"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
    ],
)
def test_months_are_added_by_the_calendar(day, months, expected):
    assert readiness.add_months(day, months) == expected
