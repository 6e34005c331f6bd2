"""Tasks of an incident: create, complete, waive (with a reason)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common import clock
from common.errors import Conflict, InvalidInput
from incidents import access
from incidents.models import Incident, Task
from incidents.models.enums import TaskStatus
from incidents.services.timeline import timeline_append


@transaction.atomic
def task_create(
    *,
    incident: Incident,
    actor: User | None,
    title: str,
    title_en: str = "",
    code: str = "",
    level: int | None = None,
    owner_role: str = "",
    owner: User | None = None,
    due_at: datetime | None = None,
) -> Task:
    if actor is not None:
        access.require(access.can_edit_incidents(actor), "create tasks")
    if owner is not None and owner.organisation_id != incident.organisation_id:
        raise InvalidInput("person_not_in_organisation", _("Unknown owner."), field="owner")
    task = Task.objects.create(
        incident=incident,
        title=title[:600],
        title_en=title_en[:600],
        code=code,
        level=level,
        owner_role=owner_role,
        owner=owner,
        due_at=due_at,
    )
    timeline_append(
        incident=incident,
        kind="task.created",
        actor=actor,
        payload={"task": task.pk, "code": code, "title": task.title},
    )
    return task


@transaction.atomic
def task_finish(*, task: Task, actor: User, status: str, note: str = "") -> Task:
    """Complete or waive an open task; waiving needs a reason (closing rule C-1)."""
    access.require(access.can_edit_incidents(actor) or task.owner_id == actor.pk, "finish tasks")
    if status not in (TaskStatus.DONE, TaskStatus.WAIVED):
        raise InvalidInput(
            "invalid_status", _("A task is finished as done or waived."), field="status"
        )
    if status == TaskStatus.WAIVED and not note.strip():
        raise InvalidInput("reason_required", _("Say why the task is waived."), field="note")
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise Conflict("task_not_open", _("This task is already finished."))
    task.status, task.completion_note = status, note
    task.completed_at, task.completed_by = clock.now(), actor
    task.save()
    timeline_append(
        incident=task.incident,
        kind="task.finished",
        actor=actor,
        payload={"task": task.pk, "code": task.code, "status": status},
    )
    return task
