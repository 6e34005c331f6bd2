"""Communications of an incident: drafted, edited (each edit a kept version), approved, sent or
cancelled, by the transition table below. Every change goes on the incident's timeline.

Rules: N-4 (the TLP each audience may receive: 400 TLP_NOT_ALLOWED_FOR_AUDIENCE); a message to
the media, the public or customers at large is sent only under an APPROVED PUBLIC_ANNOUNCEMENT
decision of the incident, which is linked (409 ANNOUNCEMENT_NOT_APPROVED); a sent message
completes the checklist task it fulfils (N-1 … N-3) through the task ↔ record map.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bcp.enums import DecisionStatus, Outcome
from bcp.models import Decision
from common import clock
from common.errors import Conflict, InvalidInput
from comms import access, rules
from comms.enums import PUBLIC, Audience, Channel, Status, TemplateKind
from comms.models import Communication, CommunicationVersion
from incidents import access as incident_access
from incidents.models import Incident
from incidents.models.enums import IncidentStatus, Tlp
from incidents.services.task_records import tasks_reconcile
from incidents.services.timeline import timeline_append

# status → the statuses it may move to (an approved message edited goes back to DRAFT).
MOVES: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.APPROVED, Status.CANCELLED}),
    Status.APPROVED: frozenset({Status.SENT, Status.DRAFT, Status.CANCELLED}),
    Status.SENT: frozenset(),
    Status.CANCELLED: frozenset(),
}
# What a template leaves for a person to write (comms.services.templates.GAP).
GAP_MARK = re.compile(r"【要記入[：:][^】]{0,200}】|\[TO FILL(?::[^\]]{0,200})?\]")
EDITABLE = ("audience", "audience_detail", "channel", "tlp", "subject", "body")
VERSIONED = ("audience", "channel", "tlp", "subject", "body")


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def check_tlp(audience: str, tlp: str) -> None:
    """N-4: refuse a label the audience may not receive."""
    if audience not in Audience.values:
        raise InvalidInput("UNKNOWN_AUDIENCE", _("Choose an audience."), field="audience")
    if tlp not in Tlp.values:
        raise InvalidInput("UNKNOWN_TLP", _("Choose a TLP label."), field="tlp")
    if not rules.tlp_allowed(audience, tlp):
        raise InvalidInput(
            "TLP_NOT_ALLOWED_FOR_AUDIENCE",
            rules.SAYS[audience],
            field="tlp",
            rule="N-4",
            audience=audience,
            tlp=tlp,
            allowed=sorted(rules.ALLOWED[audience], key=rules.rank),
        )


def _check_open(incident: Incident) -> None:
    if incident.status == IncidentStatus.CLOSED:
        raise Conflict(
            "INCIDENT_CLOSED", _("The incident is closed: its communications cannot change.")
        )


def _version(communication: Communication, actor: User | None) -> None:
    CommunicationVersion.objects.create(
        communication=communication,
        number=communication.version,
        edited_by=actor,
        edited_at=clock.now(),
        **{name: getattr(communication, name) for name in VERSIONED},
    )


def _payload(communication: Communication, **more: Any) -> dict[str, Any]:
    return {
        "communication": communication.pk,
        "subject": communication.subject,
        "audience": communication.audience,
        "tlp": communication.tlp,
        "version": communication.version,
        **more,
    }


@transaction.atomic
def communication_draft(
    *,
    incident: Incident,
    actor: User,
    audience: str,
    subject: str,
    channel: str = Channel.EMAIL,
    tlp: str = "",
    body: str = "",
    audience_detail: str = "",
    template_kind: str = "",
) -> Communication:
    """A new draft (version 1); the TLP defaults by audience (N-4: internal AMBER+STRICT)."""
    incident_access.require(access.can_write(actor), "write communications")
    _check_open(incident)
    tlp = tlp or (rules.default_tlp(audience) if audience in Audience.values else "")
    check_tlp(audience, tlp)
    if channel not in Channel.values:
        raise InvalidInput("UNKNOWN_CHANNEL", _("Choose a channel."), field="channel")
    if not subject.strip():
        raise InvalidInput("SUBJECT_REQUIRED", _("Give the message a subject."), field="subject")
    if template_kind and template_kind not in TemplateKind.values:
        raise InvalidInput("UNKNOWN_TEMPLATE", _("Choose a template."), field="template_kind")
    communication = Communication.objects.create(
        organisation_id=incident.organisation_id,
        incident=incident,
        audience=audience,
        audience_detail=audience_detail.strip()[:200],
        channel=channel,
        tlp=tlp,
        subject=subject.strip()[:300],
        body=body,
        template_kind=template_kind,
        created_by=actor,
    )
    _version(communication, actor)
    timeline_append(
        incident=incident,
        kind="communication.drafted",
        actor=actor,
        payload=_payload(communication, template=template_kind),
    )
    return communication


def _lock(communication: Communication) -> Communication:
    return (
        Communication.objects.select_for_update(of=("self",))
        .select_related("incident", "incident__organisation")
        .get(pk=communication.pk)
    )


@transaction.atomic
def communication_update(
    *, communication: Communication, actor: User, changes: dict[str, Any]
) -> Communication:
    """Edit a draft, or an approved message (which goes back to DRAFT to be approved again).
    Each edit that changes what is said is a new kept version."""
    incident_access.require(access.can_write(actor), "write communications")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(
            "field_not_editable", _("These fields cannot be changed here."), fields=sorted(unknown)
        )
    communication = _lock(communication)
    _check_open(communication.incident)
    if communication.status not in (Status.DRAFT, Status.APPROVED):
        raise Conflict(
            "COMMUNICATION_NOT_EDITABLE",
            _("A sent or cancelled message is kept as it was."),
            status=communication.status,
        )
    values = {
        name: (value.strip() if isinstance(value, str) and name != "body" else value)
        for name, value in changes.items()
    }
    if "subject" in values and not values["subject"]:
        raise InvalidInput("SUBJECT_REQUIRED", _("Give the message a subject."), field="subject")
    if "channel" in values and values["channel"] not in Channel.values:
        raise InvalidInput("UNKNOWN_CHANNEL", _("Choose a channel."), field="channel")
    check_tlp(values.get("audience", communication.audience), values.get("tlp", communication.tlp))
    changed = [name for name, value in values.items() if getattr(communication, name) != value]
    if not changed:
        return communication
    for name in changed:
        setattr(communication, name, values[name])
    previous = communication.status
    communication.version += 1
    if previous == Status.APPROVED:
        communication.status = Status.DRAFT
        communication.approved_by, communication.approved_at = None, None
    communication.save()
    _version(communication, actor)
    timeline_append(
        incident=communication.incident,
        kind="communication.edited",
        actor=actor,
        payload=_payload(communication, changed=changed, reapproval=previous == Status.APPROVED),
    )
    return communication


def approved_announcement(incident: Incident) -> Decision | None:
    """The incident's latest APPROVED PUBLIC_ANNOUNCEMENT decision, if any."""
    return (
        Decision.objects.filter(
            incident=incident,
            type="PUBLIC_ANNOUNCEMENT",
            status=DecisionStatus.DECIDED,
            outcome=Outcome.APPROVED,
        )
        .order_by("-decided_at", "-id")
        .first()
    )


def _allowed(actor: User, target: str, audience: str) -> bool:
    if target == Status.APPROVED:
        return access.can_approve(actor)
    if target in (Status.SENT, Status.CANCELLED):
        return access.can_send(actor, audience)
    return access.can_write(actor) or access.can_approve(actor)


@transaction.atomic
def communication_move(
    *,
    communication: Communication,
    actor: User,
    status: str,
    reference: str = "",
    reason: str = "",
) -> Communication:
    """DRAFT → APPROVED (approvers) → SENT (with the reference: how it went and where it is
    kept), APPROVED → DRAFT, or CANCELLED with a reason."""
    communication = _lock(communication)
    incident_access.require(
        _allowed(actor, status, communication.audience), "change the status of communications"
    )
    _check_open(communication.incident)
    if status not in MOVES.get(communication.status, frozenset()):
        raise Conflict(
            "COMMUNICATION_STATUS_NOT_ALLOWED",
            _("A message cannot go from %(current)s to %(target)s.")
            % {
                "current": communication.get_status_display(),
                "target": _label(Status, status),
            },
            status=communication.status,
        )
    check_tlp(communication.audience, communication.tlp)
    now = clock.now()
    more: dict[str, Any] = {}
    if status == Status.APPROVED:
        gaps = GAP_MARK.findall(communication.subject + "\n" + communication.body)
        if gaps:
            raise Conflict(
                "GAPS_TO_WRITE",
                _("Write what 【要記入】 marks before the message is approved."),
                gaps=gaps[:20],
            )
        communication.approved_by, communication.approved_at = actor, now
    elif status == Status.DRAFT:
        communication.approved_by, communication.approved_at = None, None
    elif status == Status.CANCELLED:
        if not reason.strip():
            raise InvalidInput(
                "REASON_REQUIRED", _("Say why the message is cancelled."), field="reason"
            )
        communication.cancel_reason = reason.strip()
        more["reason"] = communication.cancel_reason
    elif status == Status.SENT:
        if communication.audience in PUBLIC:
            decision = approved_announcement(communication.incident)
            if decision is None:
                raise Conflict(
                    "ANNOUNCEMENT_NOT_APPROVED",
                    _(
                        "A message to the media, the public or customers at large is sent only "
                        "after the public announcement decision is approved."
                    ),
                    audience=communication.audience,
                )
            communication.announcement = decision
            more["announcement"] = decision.pk
        communication.sent_at, communication.sent_by = now, actor
        communication.reference = reference.strip()[:300]
        more["reference"] = communication.reference
    previous = communication.status
    communication.status = status
    communication.save()
    timeline_append(
        incident=communication.incident,
        kind="communication.status_changed",
        actor=actor,
        payload=_payload(communication, **{"from": previous, "to": status}, **more),
    )
    if status == Status.SENT:
        tasks_reconcile(incident=communication.incident, actor=actor, kinds=("communication",))
    return communication
