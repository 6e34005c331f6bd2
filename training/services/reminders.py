"""Reminders of due and overdue training through the alert channels."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from common import events
from training.enums import DueState
from training.models import Person
from training.selectors.courses import person_training, today

REMIND_BEFORE = timedelta(days=14)


def training_reminders_publish(*, on: date | None = None) -> int:
    """Publish ``training.due`` for each account holder's required course that falls due within
    two weeks or is overdue. The alerts are deduplicated per person, course and due date, so the
    daily run reminds once per due date however often it runs."""
    on = on or today()
    published = 0
    people = (
        Person.objects.filter(user__isnull=False, user__is_active=True)
        .filter(left_on__isnull=True)
        .select_related("user")
    )
    for person in people.iterator():
        for row in person_training(person, on):
            due_on = row.status.due_on
            if row.status.state == DueState.VALID or due_on is None or due_on > on + REMIND_BEFORE:
                continue
            with transaction.atomic():
                events.publish(
                    "training.due",
                    organisation_id=person.organisation_id,
                    incident=None,
                    user=person.user,
                    person_id=person.pk,
                    course_id=row.course.pk,
                    course_title=row.course.title,
                    due_on=due_on,
                    overdue=row.status.state == DueState.OVERDUE,
                )
            published += 1
    return published
