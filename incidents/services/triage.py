"""Triage (トリアージ): accept a waiting item as an incident, attach it to one, or close it.

Two people triaging one item at once: the row lock lets exactly one win; the other gets a 409
that says who triaged it and how (rule EV-2/EV-3).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common import clock
from common.errors import Conflict, InvalidInput
from incidents import access, normalize, triage
from incidents.models import Event, EventKey, Incident, IntakeSettings, Report
from incidents.models.enums import Category, Disposition, EventStatus, Impact
from incidents.services import evidence, records
from incidents.services.intake import MailKey
from incidents.services.timeline import timeline_append

logger = logging.getLogger(__name__)

EXERCISE_BOUNDARY = "exercise_boundary"  # nothing real links to an exercise object (issue 18)

CLOSING = {
    EventStatus.NOT_INCIDENT: {d for d in Disposition.values if d.startswith("not-an-incident")},
    EventStatus.DUPLICATE: {Disposition.DUPLICATE},
    EventStatus.TRANSFERRED: {Disposition.TRANSFERRED},
}


class AlreadyTriaged(Conflict):
    """Someone else triaged the item first; the details say who and how."""


def _lock_waiting(event: Event, actor: User) -> Event:
    access.require(access.can_triage(actor), "triage reports")
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.organisation_id != actor.organisation_id:
        raise access.PermissionDeniedError("permission_denied", "Not allowed: triage.")
    if locked.status != EventStatus.RECEIVED:
        by = str(locked.triaged_by) if locked.triaged_by_id else "?"
        raise AlreadyTriaged(
            "already_triaged",
            _("%(by)s already triaged this item (%(status)s).")
            % {"by": by, "status": locked.get_status_display()},
            status=locked.status,
            triaged_by=by,
            triaged_at=locked.triaged_at.isoformat() if locked.triaged_at else None,
            incident=locked.incident.ref if locked.incident_id else None,
        )
    return locked


def _finish(event: Event, actor: User, status: str, incident: Incident | None = None) -> None:
    event.status = status
    event.triaged_at = clock.now()
    event.triaged_by = actor
    event.incident = incident
    event.save()
    EventKey.objects.filter(event=event).update(open=False)  # later reports start afresh


def _absorb_reports(
    event: Event, incident: Incident, actor: User, *, new_message: bool = False
) -> None:
    reports = list(Report.objects.filter(event=event).prefetch_related("keys").order_by("id"))
    Report.objects.filter(event=event).update(incident=incident)
    for report in reports:
        keys = [MailKey(k.kind, k.value, _normalised(k), k.digest) for k in report.keys.all()]
        records.incident_absorb_report(
            incident=incident, report=report, keys=keys, actor=actor, new_message=new_message
        )
        if report.eml:
            _keep_eml(incident, report, actor)


def _keep_eml(incident: Incident, report: Report, actor: User) -> None:
    """The reporter's .eml becomes evidence (L1-03); a file that cannot be read is logged
    and left on the report (its page offers the copy again), never blocking triage."""
    try:
        with transaction.atomic():
            evidence.evidence_from_report(incident=incident, report=report, actor=actor)
    except Exception:
        logger.exception("Report %s: the .eml could not be kept as evidence", report.pk)


def _normalised(key) -> str:  # type: ignore[no-untyped-def]
    return normalize.normalise(key.kind, key.value)


@transaction.atomic
def event_promote(
    *,
    event: Event,
    actor: User,
    category: str | None = None,
    impact: str | None = None,
    title: str = "",
    exercise: bool = False,
) -> Incident:
    """Accept the item as a new incident (EV-2); its reports become the incident's.
    ``exercise``: the item is an exercise's report, and the incident is the exercise's
    (EX-YYYY-NNNN, flagged before anything else sees it)."""
    event = _lock_waiting(event, actor)
    category = category or event.category
    impact = impact or event.impact
    if category not in Category.values or impact not in Impact.values:
        raise InvalidInput("invalid_choice", _("Unknown category or impact."))
    matrix = (
        IntakeSettings.objects.filter(organisation_id=event.organisation_id)
        .values_list("triage_matrix", flat=True)
        .first()
    )
    result = triage.priority_for(category, impact, matrix)
    incident = records.incident_declare(
        organisation=event.organisation,
        actor=actor,
        title=title or event.summary,
        category=category,
        priority=result.priority,
        priority_reason=result.reason,
        exercise=exercise,
    )
    _finish(event, actor, EventStatus.PROMOTED, incident)
    _absorb_reports(event, incident, actor)
    timeline_append(
        incident=incident,
        kind="event.promoted",
        actor=actor,
        payload={
            "event": event.pk,
            "reports": event.report_count,
            "time_to_triage_s": int(event.time_to_triage.total_seconds()),
        },
    )
    return incident


@transaction.atomic
def event_attach(
    *, event: Event, incident: Incident, actor: User, new_message: bool = False
) -> Incident:
    """Accept the item as part of an existing open incident; ``new_message``: its email is a
    new variant of the campaign (another sender, subject or attachment), recorded as a
    message of its own with its deliveries."""
    event = _lock_waiting(event, actor)
    if incident.organisation_id != event.organisation_id:
        raise InvalidInput("incident_not_found", _("No such incident."))
    if incident.is_exercise:  # a triage item is a real report (issue 18)
        raise InvalidInput(
            EXERCISE_BOUNDARY,
            _("A real report cannot be attached to an exercise incident."),
            field="incident",
        )
    if incident.status not in records.OPEN_STATUSES:
        raise Conflict("incident_closed", _("A closed incident cannot take new reports."))
    _finish(event, actor, EventStatus.ATTACHED, incident)
    _absorb_reports(event, incident, actor, new_message=new_message)
    timeline_append(
        incident=incident,
        kind="event.attached",
        actor=actor,
        payload={"event": event.pk, "reports": event.report_count, "new_message": new_message},
    )
    return incident


@transaction.atomic
def event_close(
    *, event: Event, actor: User, status: str, disposition: str, note: str = ""
) -> Event:
    """Close without an incident (EV-3): not an incident, duplicate or transferred."""
    event = _lock_waiting(event, actor)
    allowed = CLOSING.get(status)
    if allowed is None:
        raise InvalidInput(
            "invalid_status",
            _("Close as not an incident, duplicate or transferred."),
            field="status",
        )
    if disposition not in allowed:
        raise InvalidInput(
            "invalid_disposition",
            _("This disposition does not fit the chosen outcome."),
            field="disposition",
            allowed=sorted(allowed),
        )
    event.disposition = disposition
    event.disposition_note = note
    _finish(event, actor, status)
    return event
