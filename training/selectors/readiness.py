"""The readiness of one person, for the incident room: did the person who opened a real
targeted email hold valid training (the basic behaviour), and how did they do in drills?"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from accounts.models import User
from training.enums import CompletionStatus, Topic
from training.models import Completion, Course, DrillRecipient, Person
from training.selectors.courses import today


@dataclass(frozen=True)
class DrillOutcome:
    title: str
    sent_at: datetime
    opened: bool
    clicked: bool
    entered_data: bool
    reported: bool
    minutes_to_report: float | None


@dataclass
class Readiness:
    person: Person
    on: date
    basics_valid: bool
    basics_last_completed: date | None
    basics_valid_until: date | None
    required_valid: bool
    drills: list[DrillOutcome] = field(default_factory=list)

    @property
    def drills_clicked(self) -> int:
        return sum(d.clicked for d in self.drills)

    @property
    def drills_reported(self) -> int:
        return sum(d.reported for d in self.drills)


def _person(who: User | Person | str, organisation_id: int | None) -> Person | None:
    if isinstance(who, Person):
        return who
    if isinstance(who, User):
        org = organisation_id or who.organisation_id
        linked = Person.objects.filter(user=who, organisation_id=org).first()
        if linked is not None or not who.email:
            return linked
        who, organisation_id = who.email, org
    email = (who or "").strip()
    if not email or organisation_id is None:
        return None
    return Person.objects.filter(organisation_id=organisation_id, email__iexact=email).first()


def person_readiness(
    who: User | Person | str,
    *,
    organisation_id: int | None = None,
    on: date | datetime | None = None,
) -> Readiness | None:
    """``who`` is the recipient's account or email address (or a Person); ``on`` the day (or
    the moment) the email was opened. None when the person is not in the training register."""
    person = _person(who, organisation_id)
    if person is None:
        return None
    day = timezone.localdate(on) if isinstance(on, datetime) else (on or today())
    courses = list(Course.objects.filter(organisation_id=person.organisation_id, active=True))
    done = list(
        Completion.objects.filter(
            person=person, status=CompletionStatus.COMPLETED, completed_on__lte=day
        ).values_list("course_id", "completed_on", "valid_until")
    )

    def valid(course_id: int) -> bool:
        return any(c == course_id and (until is None or until >= day) for c, _on, until in done)

    basics = {c.pk for c in courses if Topic.TARGETED_EMAIL_BASICS in (c.topics or [])}
    basics_done = [(on_, until) for c, on_, until in done if c in basics]
    last = max(basics_done, default=(None, None))
    return Readiness(
        person=person,
        on=day,
        basics_valid=any(valid(pk) for pk in basics),
        basics_last_completed=last[0],
        basics_valid_until=last[1],
        required_valid=all(
            valid(c.pk) for c in courses if person.population in (c.required_for or [])
        ),
        drills=_drills(person),
    )


def _drills(person: Person) -> list[DrillOutcome]:
    rows = DrillRecipient.objects.filter(person=person).select_related("drill")
    outcomes = []
    for row in rows.order_by("-drill__sent_at"):
        minutes = None
        if row.reported_at is not None:
            minutes = round((row.reported_at - row.drill.sent_at).total_seconds() / 60, 1)
        outcomes.append(
            DrillOutcome(
                row.drill.title,
                row.drill.sent_at,
                row.opened,
                row.clicked,
                row.entered_data,
                row.reported,
                minutes,
            )
        )
    return outcomes
