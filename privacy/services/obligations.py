"""Obligations: legal, contractual and internal clocks of an incident (DOMAIN-MODEL §2.2).

Created by the APPI rules (A-3, A-4) or by hand, moved OPEN → DONE (with the reference number
and the date) or OPEN → WAIVED (with the reason), each change on the incident's timeline.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from common import clock
from common.errors import Conflict, InvalidInput
from incidents import access as incident_access
from incidents.models import Incident
from incidents.services.timeline import timeline_append
from privacy import access
from privacy.enums import BASIS, ObligationKind, ObligationStatus
from privacy.models import Obligation

# status → the statuses it may move to (a transition table; DONE and WAIVED are final, a
# mistaken one is re-opened by the ISMS office through the same service).
MOVES = {
    ObligationStatus.OPEN: {ObligationStatus.DONE, ObligationStatus.WAIVED},
    ObligationStatus.DONE: {ObligationStatus.OPEN},
    ObligationStatus.WAIVED: {ObligationStatus.OPEN},
}
# Who owns each kind unless said otherwise.
OWNER = {
    ObligationKind.POLICE_CONSULT: Role.CSIRT_LEAD,
    ObligationKind.IPA_NOTIFICATION: Role.CSIRT_LEAD,
    ObligationKind.JPCERT_REPORT: Role.CSIRT_LEAD,
    ObligationKind.INSURER: Role.ISMS_OFFICE,
    ObligationKind.CONTRACTUAL_NOTICE: Role.ISMS_OFFICE,
}


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def obligation_ensure(
    *,
    incident: Incident,
    kind: str,
    actor: User | None,
    clock_start: datetime | None = None,
    soft_due_at: datetime | None = None,
    due_at: datetime | None = None,
    recommended: bool = False,
    rule: str = "",
    owner_role: str = "",
    note: str = "",
) -> tuple[Obligation, bool]:
    """The incident's obligation of this kind, created if missing (once per kind)."""
    found = Obligation.objects.filter(incident=incident, kind=kind).first()
    if found is not None:
        return found, False
    obligation = Obligation.objects.create(
        organisation_id=incident.organisation_id,
        incident=incident,
        kind=kind,
        basis=BASIS.get(kind, ""),
        owner_role=owner_role or OWNER.get(kind, Role.LEGAL_PRIVACY),
        recommended=recommended,
        clock_start=clock_start,
        soft_due_at=soft_due_at,
        due_at=due_at,
        note=note[:500],
    )
    timeline_append(
        incident=incident,
        kind="obligation.created",
        actor=actor,
        payload={
            "obligation": obligation.pk,
            "kind": kind,
            "rule": rule,
            "soft_due_at": _when(soft_due_at),
            "due_at": _when(due_at),
            "recommended": recommended,
        },
    )
    return obligation, True


@transaction.atomic
def obligation_add(
    *,
    incident: Incident,
    actor: User,
    kind: str,
    due_at: datetime | None = None,
    soft_due_at: datetime | None = None,
    owner_role: str = "",
    note: str = "",
) -> Obligation:
    """An obligation recorded by hand (a contract's 24-hour notice, the insurer …)."""
    incident_access.require(
        access.can_record_obligations(actor)
        and access.can_close_obligation(actor, owner_role or OWNER.get(kind, Role.LEGAL_PRIVACY)),
        "record obligations",
    )
    if kind not in ObligationKind.values:
        raise InvalidInput("invalid_choice", _("Choose a kind of obligation."), field="kind")
    if soft_due_at and due_at and soft_due_at > due_at:
        raise InvalidInput(
            "soft_due_after_due", _("Aim for a time before the due time."), field="soft_due_at"
        )
    if Obligation.objects.filter(incident=incident, kind=kind).exists():
        raise Conflict(
            "OBLIGATION_EXISTS", _("The incident already has this obligation."), field="kind"
        )
    obligation, _created = obligation_ensure(
        incident=incident,
        kind=kind,
        actor=actor,
        clock_start=clock.now(),
        soft_due_at=soft_due_at,
        due_at=due_at,
        owner_role=owner_role,
        note=note,
    )
    return obligation


def _lock(obligation: Obligation) -> Obligation:
    return Obligation.objects.select_for_update().select_related("incident").get(pk=obligation.pk)


def _move(obligation: Obligation, target: str) -> None:
    if target not in MOVES.get(obligation.status, set()):
        raise Conflict(
            "OBLIGATION_STATUS",
            _("This obligation cannot move from %(from)s to %(to)s.")
            % {
                "from": ObligationStatus(obligation.status).label,
                "to": ObligationStatus(target).label,
            },
        )


@transaction.atomic
def obligation_done(
    *,
    obligation: Obligation,
    actor: User,
    reference_no: str = "",
    done_at: datetime | None = None,
    submitted_via: str = "",
) -> Obligation:
    """DONE, with the receipt or reference number and when it was done."""
    incident_access.require(
        access.can_close_obligation(actor, obligation.owner_role), "close obligations"
    )
    obligation = _lock(obligation)
    _move(obligation, ObligationStatus.DONE)
    at = done_at or clock.now()
    if at > clock.now():
        raise InvalidInput("done_in_future", _("It cannot be done in the future."), field="done_at")
    obligation.status = ObligationStatus.DONE
    obligation.done_at, obligation.closed_by = at, actor
    obligation.reference_no = reference_no.strip()[:100]
    obligation.submitted_via = submitted_via.strip()[:200]
    obligation.save()
    timeline_append(
        incident=obligation.incident,
        kind="obligation.done",
        actor=actor,
        payload={
            "obligation": obligation.pk,
            "kind": obligation.kind,
            "reference_no": obligation.reference_no,
            "done_at": at.isoformat(),
        },
    )
    return obligation


def waive(obligation: Obligation, actor: User | None, reason: str, *, rule: str = "") -> None:
    """OPEN → WAIVED with the reason (the caller has checked who may)."""
    obligation.status = ObligationStatus.WAIVED
    obligation.waived_reason = reason.strip()[:1000]
    obligation.closed_by = actor
    obligation.save()
    timeline_append(
        incident=obligation.incident,
        kind="obligation.waived",
        actor=actor,
        payload={
            "obligation": obligation.pk,
            "kind": obligation.kind,
            "reason": obligation.waived_reason,
            "rule": rule,
        },
    )


@transaction.atomic
def obligation_waive(*, obligation: Obligation, actor: User, reason: str) -> Obligation:
    incident_access.require(
        access.can_close_obligation(actor, obligation.owner_role), "waive obligations"
    )
    if not reason.strip():
        raise InvalidInput(
            "REASON_REQUIRED", _("Say why this obligation is waived."), field="reason"
        )
    obligation = _lock(obligation)
    _move(obligation, ObligationStatus.WAIVED)
    waive(obligation, actor, reason)
    return obligation


@transaction.atomic
def obligation_reopen(*, obligation: Obligation, actor: User, reason: str) -> Obligation:
    incident_access.require(
        access.can_close_obligation(actor, obligation.owner_role), "reopen obligations"
    )
    if not reason.strip():
        raise InvalidInput("REASON_REQUIRED", _("Say why it is re-opened."), field="reason")
    obligation = _lock(obligation)
    _move(obligation, ObligationStatus.OPEN)
    previous = obligation.status
    obligation.status = ObligationStatus.OPEN
    obligation.done_at = None
    obligation.waived_reason = ""
    obligation.save()
    timeline_append(
        incident=obligation.incident,
        kind="obligation.reopened",
        actor=actor,
        payload={
            "obligation": obligation.pk,
            "kind": obligation.kind,
            "from": previous,
            "reason": reason.strip()[:500],
        },
    )
    return obligation


def obligation_reschedule(
    obligation: Obligation,
    *,
    actor: User | None,
    soft_due_at: datetime | None,
    due_at: datetime | None,
    rule: str,
) -> bool:
    """A-5: new dates from the same clock start; the alerts are raised again for new dates."""
    if (obligation.soft_due_at, obligation.due_at) == (soft_due_at, due_at):
        return False
    before = {"soft_due_at": _when(obligation.soft_due_at), "due_at": _when(obligation.due_at)}
    changes: dict[str, Any] = {"soft_due_at": soft_due_at, "due_at": due_at}
    if soft_due_at != obligation.soft_due_at:
        changes["soft_alerted_at"] = None
    if due_at != obligation.due_at:
        changes["due_alerted_at"] = None
    for name, value in changes.items():
        setattr(obligation, name, value)
    obligation.save()
    timeline_append(
        incident=obligation.incident,
        kind="obligation.rescheduled",
        actor=actor,
        payload={
            "obligation": obligation.pk,
            "kind": obligation.kind,
            "rule": rule,
            "from": before,
            "to": {"soft_due_at": _when(soft_due_at), "due_at": _when(due_at)},
        },
    )
    return True
