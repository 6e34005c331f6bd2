"""Corrective actions (ISO/IEC 27001 cl. 10.2, rule M-2): recorded, changed, done or cancelled.

Each change goes on the incident's timeline. An action names at least one Annex A control and
the organisation's risk-register entry it updates (M-2).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common import clock
from common.errors import Conflict, InvalidInput
from incidents import access as incident_access
from incidents.models import Incident
from incidents.services.timeline import timeline_append
from isms import access
from isms.enums import ActionStatus
from isms.models import AnnexAControl, CorrectiveAction
from isms.services.reviews import controls_by_id

EDITABLE = ("title", "description", "owner", "due_on", "controls", "risk_reference", "risk_url")
# status → the statuses it may move to
STATUS_MOVES = {
    ActionStatus.OPEN: {ActionStatus.DONE, ActionStatus.CANCELLED},
    ActionStatus.DONE: {ActionStatus.OPEN},
    ActionStatus.CANCELLED: {ActionStatus.OPEN},
}


def _check(values: dict[str, Any], incident: Incident) -> list[AnnexAControl]:
    if "title" in values and not str(values["title"] or "").strip():
        raise InvalidInput("TITLE_REQUIRED", _("Give the action a title."), field="title")
    if "due_on" in values and not isinstance(values["due_on"], date):
        raise InvalidInput("DUE_ON_REQUIRED", _("Give a due date."), field="due_on")
    owner = values.get("owner")
    if owner is not None and owner.organisation_id != incident.organisation_id:
        raise InvalidInput(
            "person_not_in_organisation", _("Only people of the organisation."), field="owner"
        )
    if "risk_reference" in values and not str(values["risk_reference"] or "").strip():
        raise InvalidInput(
            "RISK_REFERENCE_REQUIRED",
            _("Name the risk-register entry this action updates (rule M-2)."),
            field="risk_reference",
        )
    if "controls" not in values:
        return []
    controls = controls_by_id(values["controls"] or [])
    if not controls:
        raise InvalidInput(
            "CONTROLS_REQUIRED",
            _("Name at least one Annex A control (rule M-2)."),
            field="controls",
        )
    return controls


@transaction.atomic
def corrective_action_create(
    *,
    incident: Incident,
    actor: User,
    title: str,
    due_on: date | None,
    controls: list[str],
    risk_reference: str,
    owner: User | None = None,
    description: str = "",
    risk_url: str = "",
) -> CorrectiveAction:
    incident_access.require(access.can_write(actor), "record corrective actions")
    values = {
        "title": title,
        "due_on": due_on,
        "controls": controls,
        "risk_reference": risk_reference,
        "owner": owner,
    }
    chosen = _check(values, incident)
    action = CorrectiveAction.objects.create(
        organisation_id=incident.organisation_id,
        incident=incident,
        title=title.strip()[:300],
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        risk_reference=risk_reference.strip()[:300],
        risk_url=risk_url.strip(),
        created_by=actor,
    )
    action.controls.set(chosen)
    timeline_append(
        incident=incident,
        kind="corrective_action.created",
        actor=actor,
        payload={
            "action": action.pk,
            "title": action.title,
            "due_on": due_on,
            "controls": [c.id for c in chosen],
            "owner": str(owner) if owner else "",
        },
    )
    return action


def _lock(action: CorrectiveAction) -> CorrectiveAction:
    return (
        CorrectiveAction.objects.select_for_update(of=("self",))
        .select_related("incident", "owner")
        .get(pk=action.pk)
    )


@transaction.atomic
def corrective_action_update(
    *, action: CorrectiveAction, actor: User, changes: dict[str, Any]
) -> CorrectiveAction:
    """Change what the action is, who owns it, when it is due; the status has its own command."""
    incident_access.require(access.can_write(actor), "change corrective actions")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(
            "field_not_editable", _("These fields cannot be changed here."), fields=sorted(unknown)
        )
    action = _lock(action)
    chosen = _check(changes, action.incident)
    changed = []
    for name, value in changes.items():
        if name == "controls":
            if sorted(c.id for c in chosen) != sorted(action.controls.values_list("id", flat=True)):
                action.controls.set(chosen)
                changed.append(name)
            continue
        value = value.strip() if isinstance(value, str) else value
        if getattr(action, name) != value:
            setattr(action, name, value)
            changed.append(name)
    if "due_on" in changed:
        action.reminded_for, action.reminded_overdue = None, False  # a new date, new reminders
    action.save()
    if changed:
        timeline_append(
            incident=action.incident,
            kind="corrective_action.updated",
            actor=actor,
            payload={"action": action.pk, "title": action.title, "changed": changed},
        )
    return action


@transaction.atomic
def corrective_action_set_status(
    *, action: CorrectiveAction, actor: User, status: str, reason: str = ""
) -> CorrectiveAction:
    """Done (by its owner too), cancelled with a reason, or opened again."""
    action = _lock(action)
    incident_access.require(
        access.can_write(actor) or (status == ActionStatus.DONE and action.owner_id == actor.pk),
        "change the status of corrective actions",
    )
    if status not in STATUS_MOVES.get(action.status, set()):
        raise Conflict(
            "ACTION_STATUS_NOT_ALLOWED",
            _("A corrective action cannot go from %(current)s to %(target)s.")
            % {
                "current": action.get_status_display(),
                "target": ActionStatus(status).label if status in ActionStatus.values else status,
            },
        )
    if status == ActionStatus.CANCELLED and not reason.strip():
        raise InvalidInput("REASON_REQUIRED", _("Say why the action is cancelled."), field="reason")
    previous = action.status
    action.status = status
    action.status_reason = reason.strip() if status == ActionStatus.CANCELLED else ""
    action.done_at = clock.now() if status == ActionStatus.DONE else None
    action.save()
    timeline_append(
        incident=action.incident,
        kind="corrective_action.status_changed",
        actor=actor,
        payload={
            "action": action.pk,
            "title": action.title,
            "from": previous,
            "to": status,
            "reason": reason.strip(),
        },
    )
    return action
