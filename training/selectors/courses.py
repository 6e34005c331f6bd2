"""Reads of courses, sessions, completions and a person's training status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from common import clock
from training import access, readiness
from training.enums import AssignmentStatus, CompletionStatus, DueState
from training.models import Assignment, Completion, Course, Person, Session


def today() -> date:
    return timezone.localdate(clock.now())


def courses_of(user: User) -> QuerySet[Course]:
    if not access.can_read(user):
        return Course.objects.none()
    return Course.objects.filter(organisation_id=user.organisation_id).order_by("code")


def course_get(*, user: User, pk: int) -> Course:
    course = courses_of(user).filter(pk=pk).first()
    if course is None:
        raise Http404
    return course


def sessions_of(course: Course) -> QuerySet[Session]:
    return course.sessions.annotate(attendees=Count("completions")).order_by("-held_on", "-id")


def sessions_visible_to(user: User) -> QuerySet[Session]:
    return Session.objects.filter(course__in=courses_of(user)).select_related("course")


def session_get(*, user: User, pk: int) -> Session:
    session = sessions_visible_to(user).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def session_attendance(session: Session) -> QuerySet[Completion]:
    return session.completions.select_related("person").order_by("person__name", "id")


def completions_visible_to(user: User) -> QuerySet[Completion]:
    if not access.can_read(user):
        return Completion.objects.none()
    return Completion.objects.filter(organisation_id=user.organisation_id).select_related(
        "person", "course", "session"
    )


def assignments_visible_to(user: User) -> QuerySet[Assignment]:
    if not access.can_read(user):
        return Assignment.objects.none()
    return Assignment.objects.filter(organisation_id=user.organisation_id).select_related(
        "person", "course"
    )


def person_fact(person: Person) -> readiness.PersonFact:
    return readiness.PersonFact(
        person.pk,
        person.name,
        person.employee_no,
        person.population,
        person.unit_id,
        person.start_date,
        person.left_on,
    )


def course_fact(course: Course) -> readiness.CourseFact:
    return readiness.CourseFact(
        course.pk,
        course.code,
        course.title,
        frozenset(course.required_for or []),
        course.due_within_days,
        course.required_since,
    )


def valid_completions(queryset: QuerySet[Completion]) -> list[readiness.CompletionFact]:
    rows = queryset.filter(status=CompletionStatus.COMPLETED).values_list(
        "person_id", "course_id", "completed_on", "valid_until"
    )
    return [readiness.CompletionFact(*row) for row in rows]


@dataclass
class CourseStatus:
    course: Course
    status: readiness.DueStatus
    why: str  # "required" or the assignment's reason label


def person_training(person: Person, on: date | None = None) -> list[CourseStatus]:
    """Each course the person must hold: required for their population, or assigned."""
    on = on or today()
    courses = list(Course.objects.filter(organisation_id=person.organisation_id, active=True))
    facts = readiness.index_completions(valid_completions(person.completions.all()))
    rows = []
    fact = person_fact(person)
    for course in courses:
        if person.population in (course.required_for or []):
            done = facts.get((person.pk, course.pk), [])
            status = readiness.due_status(fact, course_fact(course), done, on)
            rows.append(CourseStatus(course, status, "required"))
    for assignment in person.assignments.filter(status=AssignmentStatus.OPEN).select_related(
        "course"
    ):
        state = DueState.DUE if on <= assignment.due_on else DueState.OVERDUE
        status = readiness.DueStatus(state, assignment.due_on, None, None)
        rows.append(CourseStatus(assignment.course, status, assignment.get_reason_display()))
    return rows
