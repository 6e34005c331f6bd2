"""Courses, sessions, completions and assignments."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from common import clock
from common.errors import InvalidInput
from training import access, readiness
from training.enums import (
    AssignmentReason,
    AssignmentStatus,
    CompletionStatus,
    Delivery,
    Population,
    Topic,
)
from training.models import Assignment, Completion, Course, Person, PhishingDrill, Session

COURSE_FIELDS = {
    "code",
    "title",
    "description",
    "topics",
    "validity_months",
    "required_for",
    "required_since",
    "due_within_days",
    "pass_score",
    "active",
}
ONLY_OFFICE = _("Only the ISMS office keeps training records.")


def _check_lists(values: dict[str, Any]) -> None:
    for name, allowed in (("topics", Topic.values), ("required_for", Population.values)):
        unknown = set(values.get(name) or []) - set(allowed)
        if unknown:
            raise InvalidInput(
                "invalid_choice",
                _("Unknown values: %(values)s.") % {"values": ", ".join(sorted(unknown))},
                field=name,
            )


@transaction.atomic
def course_create(*, organisation: Organisation, actor: User, **values: Any) -> Course:
    access.require(access.can_keep_records(actor), ONLY_OFFICE)
    unknown = set(values) - COURSE_FIELDS
    if unknown:
        raise InvalidInput("unknown_fields", _("Unknown fields."), fields=sorted(unknown))
    _check_lists(values)
    values.setdefault("required_since", clock.now().date())
    course = Course(organisation=organisation, **values)
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def course_update(*, course: Course, actor: User, changes: dict[str, Any]) -> Course:
    """Change a course; completions already recorded keep the validity they were given."""
    access.require(access.can_keep_records(actor), ONLY_OFFICE)
    unknown = set(changes) - COURSE_FIELDS
    if unknown:
        raise InvalidInput(
            "field_not_editable", _("These fields cannot be changed here."), fields=sorted(unknown)
        )
    _check_lists(changes)
    course = Course.objects.select_for_update().get(pk=course.pk)
    for name, value in changes.items():
        setattr(course, name, value)
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def session_create(
    *,
    course: Course,
    actor: User,
    held_on: date,
    delivery: str,
    location: str = "",
    instructor: str = "",
) -> Session:
    access.require(access.can_keep_records(actor), ONLY_OFFICE)
    if delivery not in Delivery.values:
        raise InvalidInput("invalid_choice", _("Unknown delivery."), field="delivery")
    session = Session(
        course=course,
        held_on=held_on,
        delivery=delivery,
        location=location,
        instructor=instructor,
    )
    session.full_clean()
    session.save()
    return session


def _result(course: Course, score: int | None, status: str | None) -> str:
    """With a quiz, passing is the score; without one, attending is completing."""
    if status is not None and status not in CompletionStatus.values:
        raise InvalidInput("invalid_choice", _("Unknown result."), field="status")
    if score is not None and not 0 <= score <= 100:
        raise InvalidInput("invalid_score", _("A score is between 0 and 100."), field="score")
    if course.pass_score is not None and score is None and status != CompletionStatus.ATTENDED:
        raise InvalidInput(
            "score_required", _("This course has a quiz: give the score."), field="score"
        )
    if status == CompletionStatus.ATTENDED:
        return status
    if course.pass_score is not None and score is not None and score < course.pass_score:
        return CompletionStatus.ATTENDED
    return CompletionStatus.COMPLETED


@transaction.atomic
def completion_record(
    *,
    person: Person,
    course: Course,
    actor: User,
    completed_on: date,
    session: Session | None = None,
    score: int | None = None,
    status: str | None = None,
) -> Completion:
    """Record (or correct, for the same day) a person's attendance and result; a pass closes
    the person's open assignment of the course."""
    access.require(access.can_keep_records(actor), ONLY_OFFICE)
    if person.organisation_id != course.organisation_id:
        raise InvalidInput("not_in_organisation", _("Choose one of the organisation's own."))
    if session is not None and session.course_id != course.pk:
        raise InvalidInput("wrong_session", _("The session is of another course."))
    if completed_on > clock.now().date():
        raise InvalidInput(
            "completed_in_future", _("A completion cannot lie in the future."), field="date"
        )
    result = _result(course, score, status)
    until = readiness.valid_until(completed_on, course.validity_months)
    completion, _created = Completion.objects.update_or_create(
        person=person,
        course=course,
        completed_on=completed_on,
        defaults={
            "organisation_id": course.organisation_id,
            "session": session,
            "status": result,
            "score": score,
            "valid_until": until if result == CompletionStatus.COMPLETED else None,
            "recorded_by": actor,
        },
    )
    if result == CompletionStatus.COMPLETED:
        Assignment.objects.filter(
            person=person, course=course, status=AssignmentStatus.OPEN
        ).update(status=AssignmentStatus.DONE, completion=completion)
    return completion


@transaction.atomic
def session_attendance_record(
    *, session: Session, actor: User, entries: list[tuple[Person, int | None]]
) -> list[Completion]:
    """Record a whole session at once: each person with their score (or None)."""
    return [
        completion_record(
            person=person,
            course=session.course,
            actor=actor,
            completed_on=session.held_on,
            session=session,
            score=score,
        )
        for person, score in entries
    ]


@transaction.atomic
def assignment_create(
    *,
    person: Person,
    course: Course,
    actor: User | None,
    due_on: date,
    reason: str = AssignmentReason.MANUAL,
    drill: PhishingDrill | None = None,
) -> Assignment:
    """Assign a course by a date. Idempotent: an open assignment of the course, or the one
    a drill already gave, is returned as it is."""
    if actor is not None:
        access.require(access.can_keep_records(actor), ONLY_OFFICE)
    if person.organisation_id != course.organisation_id:
        raise InvalidInput("not_in_organisation", _("Choose one of the organisation's own."))
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk").get()
    wanted = Q(status=AssignmentStatus.OPEN)
    if drill is not None:
        wanted |= Q(drill=drill)
    found = (
        Assignment.objects.filter(person=person, course=course)
        .filter(wanted)
        .order_by("-id")
        .first()
    )
    if found is not None:
        return found
    return Assignment.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        course=course,
        reason=reason,
        due_on=due_on,
        drill=drill,
        assigned_by=actor,
    )


@transaction.atomic
def assignment_cancel(*, assignment: Assignment, actor: User) -> Assignment:
    access.require(access.can_keep_records(actor), ONLY_OFFICE)
    Assignment.objects.filter(pk=assignment.pk, status=AssignmentStatus.OPEN).update(
        status=AssignmentStatus.CANCELLED
    )
    assignment.refresh_from_db()
    return assignment
