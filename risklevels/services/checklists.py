"""Level checklists become tasks once per level entry; re-entering never duplicates (L-1)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from accounts.models import User
from common import clock
from incidents.models import Incident, Task
from incidents.services import task_records
from risklevels.models import ChecklistIssue, ChecklistTemplate
from risklevels.services.setup import levels_seed

# L-1: the §4 lists for these categories; every other one (credential phishing and BEC too)
# gets the generic IPA first-response list.
MAIL_TRACK_CATEGORIES = {
    "TARGETED_EMAIL",
    "MALWARE_INFECTION",
    "RANSOMWARE",
    "UNAUTHORIZED_ACCESS",
}


def track_for(category: str) -> str:
    return (
        ChecklistTemplate.Track.MAIL
        if category in MAIL_TRACK_CATEGORIES
        else ChecklistTemplate.Track.GENERIC
    )


@transaction.atomic
def checklist_issue(
    *, incident: Incident, level: int, actor: User | None = None, at: datetime | None = None
) -> list[Task]:
    """Create the level's tasks unless this incident already had them. ``at`` is the moment the
    level's gate opened (declaration, or the first rule of the level, D-1/D-1b); a template's
    target (N-1: the staff alert within 30 minutes) runs from it."""
    at = at or clock.now()
    try:
        with transaction.atomic():
            ChecklistIssue.objects.create(incident=incident, level=level, at=at)
    except IntegrityError:
        return []
    levels_seed(organisation=incident.organisation)
    templates = ChecklistTemplate.objects.filter(
        organisation_id=incident.organisation_id,
        track=track_for(incident.category),
        level=level,
        active=True,
    ).order_by("order")
    tasks = Task.objects.bulk_create(
        [
            Task(
                incident=incident,
                code=t.code,
                level=level,
                owner_role=t.owner_role,
                title=t.title_ja[:600],
                title_en=t.title_en[:600],
                due_at=at + timedelta(minutes=t.target_minutes) if t.target_minutes else None,
            )
            for t in templates
        ]
    )
    # A task the record already proves (the C2 blocked before the gate) is done at once.
    task_records.tasks_reconcile(incident=incident, actor=actor)
    return tasks


def checklists_through(
    *, incident: Incident, level: int, actor: User | None = None, at: datetime | None = None
) -> None:
    """Entering level 3 from level 1 issues the level-2 list too: the lists are cumulative."""
    for each in range(1, level + 1):
        checklist_issue(incident=incident, level=each, actor=actor, at=at)
