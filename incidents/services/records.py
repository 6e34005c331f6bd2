"""The incident record: declare, absorb reports, update, and move through the lifecycle."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from common import clock
from common.errors import Conflict, InvalidInput
from incidents import access, extensions, normalize
from incidents.models import (
    AffectedAsset,
    Asset,
    Incident,
    Indicator,
    MailDelivery,
    MailMessage,
    Report,
)
from incidents.models import enums as e
from incidents.models.assets import ASSET_TAG_MAX_LENGTH
from incidents.services import findings, messages, task_records
from incidents.services.refs import (
    format_ref,
    incident_next_seq,
    incident_year,
    report_number_take,
)
from incidents.services.timeline import timeline_append

if TYPE_CHECKING:
    from incidents.services.intake import MailKey

logger = logging.getLogger(__name__)
T = TypeVar("T")

OPEN_STATUSES = [s for s in e.IncidentStatus.values if s != e.IncidentStatus.CLOSED]
MAIL_INDICATOR_KINDS = {
    e.IndicatorKind.SENDER_ADDRESS,
    e.IndicatorKind.SUBJECT,
    e.IndicatorKind.MESSAGE_ID,
    e.IndicatorKind.URL,
    e.IndicatorKind.FILE_SHA256,
}
EDITABLE_FIELDS = {
    "title",
    "description",
    "category",
    "attack_vector",
    "priority",
    "tlp",
    "functional_impact",
    "information_impact",
    "recoverability",
    "determination",
    "recurrence_prevention",
}


@transaction.atomic
def incident_declare(
    *,
    organisation: Organisation,
    actor: User | None,
    title: str,
    category: str,
    priority: str = e.Priority.P3,
    priority_reason: str = "",
    description: str = "",
    attack_vector: str = "",
    exercise: bool = False,
) -> Incident:
    """Create an incident at level 1 with a gap-free reference (rules EV-2, L-1). An
    exercise's incident is flagged from its creation and numbered EX-YYYY-NNNN from its own
    sequence, so it never takes a real number (issue 18)."""
    now = clock.now()
    year = incident_year(organisation, now)
    seq = incident_next_seq(organisation=organisation, year=year, exercise=exercise)
    vector = attack_vector or (
        e.AttackVector.EMAIL
        if category in {"TARGETED_EMAIL", "CREDENTIAL_PHISHING", "BEC"}
        else e.AttackVector.OTHER
    )
    incident = Incident.objects.create(
        organisation=organisation,
        ref=format_ref(year, seq, exercise=exercise),
        year=year,
        seq=seq,
        is_exercise=exercise,
        title=title[:200],
        description=description,
        category=category,
        attack_vector=vector,
        priority=priority,
        priority_reason=priority_reason[:300],
        declared_at=now,
    )
    timeline_append(
        incident=incident,
        kind="incident.declared",
        actor=actor,
        payload={
            "ref": incident.ref,
            "category": category,
            "priority": priority,
            "level": incident.level,
        },
    )
    extensions.incident_declared(incident, actor)
    return incident


class DerivedRecordError(Exception):
    """A record derived from a report cannot be written from what the report says."""


@dataclass
class Unsettled:
    """What a report absorbed into an incident leaves to do under the incident's row lock
    (issue 20: the intake takes that lock only at the end of its transaction, after the
    report's number): move its mail message's last seen (the update holds the message's row
    until the commit), look at the done tasks its records could break (a concurrent completion
    must see them), and record the reporter's PC (its facts lock the incident and append to
    its timeline: before the number, that would take the locks in the wrong order)."""

    incident: Incident
    report: Report
    actor: User | None
    message: MailMessage | None = None
    kinds: tuple[str, ...] = ()
    asset: bool = False

    def settle(self) -> None:
        self.settle_mail()
        self.settle_asset()

    def settle_mail(self) -> None:
        if self.message is not None:
            messages.message_seen(self.message, self.report.received_at)
        if self.kinds:
            task_records.tasks_reconcile(
                incident=self.incident, actor=self.actor, kinds=self.kinds, breaks_only=True
            )

    def settle_asset(self) -> None:
        if self.asset:  # no savepoint when there is nothing to do
            _derive(
                self.incident,
                self.report,
                e.IntakeProblem.ASSET,
                lambda: _record_reporter_asset(self.incident, self.report),
            )


def incident_absorb_report(
    *,
    incident: Incident,
    report: Report,
    keys: Iterable[MailKey],
    actor: User | None,
    new_message: bool = False,
    known_indicators: set[tuple[str, str]] | None = None,
    settle_later: bool = False,
) -> Unsettled:
    """A report of the campaign's mail: its indicators, the reporter's delivery and PC.

    ``known_indicators``: the (kind, digest) pairs of the keys the incident already holds, when
    the caller has read them (the intake's match); else they are read here. ``settle_later``:
    the caller holds no lock of the incident yet and settles what is returned once it does.

    Each derived record is written in its own savepoint. One that fails is noted on the report
    and on the incident's timeline for the ISMS office, and never takes the report with it.
    """
    has_mail = bool(report.sender or report.subject or report.message_id or report.url)
    unsettled = _derive(
        incident,
        report,
        e.IntakeProblem.MAIL_RECORDS,
        lambda: _mail_records(
            incident,
            report,
            keys,
            actor,
            has_mail=has_mail,
            new_message=new_message,
            known=known_indicators,
            settle_later=settle_later,
        ),
    ) or Unsettled(incident, report, actor)
    unsettled.asset = has_mail and bool(_reporter_asset_label(report))
    if not settle_later:
        unsettled.settle_asset()
    return unsettled


def _derive(incident: Incident, report: Report, problem: str, write: Callable[[], T]) -> T | None:
    try:
        with transaction.atomic():
            return write()
    except Exception as exc:  # whatever failed, the report is kept and the gap shown
        log = logger.warning if isinstance(exc, DerivedRecordError) else logger.exception
        log("Report %s: %s not recorded: %s", report.pk, problem, exc)
        report_note_problem(report=report, problem=problem, detail=str(exc), incident=incident)
        return None


def report_note_problem(
    *, report: Report, problem: str, detail: str, incident: Incident | None = None
) -> None:
    """Mark what could not be recorded from a report, for the ISMS office to complete."""
    report.intake_problem, report.intake_problem_detail = problem, detail.strip()[:300]
    Report.objects.filter(pk=report.pk).update(
        intake_problem=report.intake_problem, intake_problem_detail=report.intake_problem_detail
    )
    if incident is not None:
        # The entry names the report: a report filed in this transaction takes its number now,
        # before the incident's lock (the intake's order: the counter, then the incident).
        report_number_take(report)
        timeline_append(
            incident=incident,
            kind="report.intake_problem",
            payload={
                "report": report.number,
                "problem": problem,
                "detail": report.intake_problem_detail,
            },
        )


def _mail_records(
    incident: Incident,
    report: Report,
    keys: Iterable[MailKey],
    actor: User | None,
    *,
    has_mail: bool,
    new_message: bool = False,
    known: set[tuple[str, str]] | None = None,
    settle_later: bool = False,
) -> Unsettled:
    # What a report adds (indicators not blocked, a delivery not deleted) can only break a
    # done task's proof, never complete an open one; the indicators count only when new.
    added = (
        ("indicator",)
        if _add_mail_indicators(incident, keys, report.received_at, actor, known)
        else ()
    )
    unsettled = Unsettled(incident, report, actor, kinds=added)
    if has_mail:
        message = messages.message_for_report(
            incident=incident,
            mail=messages.Mail(
                sender=report.sender,
                subject=report.subject,
                message_id=report.message_id,
                sha256=report.attachment_sha256,
                url=report.url,
                attachment_name=report.attachment_name,
            ),
            seen_at=report.received_at,
            new_variant=new_message,
            seen_later=True,
        )
        _delivery_for(message, report)
        unsettled.message, unsettled.kinds = message, (*added, "delivery")
    if not settle_later:
        unsettled.settle_mail()
    return unsettled


def _add_mail_indicators(
    incident: Incident,
    keys: Iterable[MailKey],
    at: Any,
    actor: User | None,
    known: set[tuple[str, str]] | None = None,
) -> bool:
    """Whether the incident gained an indicator."""
    existing = (
        known
        if known is not None
        else set(Indicator.objects.filter(incident=incident).values_list("kind", "digest"))
    )
    fresh = [
        k for k in keys if k.kind in MAIL_INDICATOR_KINDS and (k.kind, k.digest) not in existing
    ]
    if not fresh:
        return False
    Indicator.objects.bulk_create(
        [
            Indicator(
                organisation_id=incident.organisation_id,
                incident=incident,
                kind=k.kind,
                value=k.value,
                normalized=k.normalized,
                digest=k.digest,
                first_seen=at,
                last_seen=at,
                created_by=actor,
            )
            for k in fresh
        ],
        ignore_conflicts=True,
    )
    return True


def _delivery_for(message: MailMessage, report: Report) -> MailDelivery:
    at = report.received_at
    what = report.what_happened
    delivery = MailDelivery(
        message=message,
        recipient=report.reporter,
        recipient_name=report.reporter_name,
        recipient_email=report.reporter_email,
        delivered_at=report.mail_received_at,
        reported_at=at,
    )
    if what == e.WhatHappened.OPENED_ATTACHMENT:
        delivery.opened_attachment_at, delivery.executed = at, True
    elif what in (e.WhatHappened.CLICKED_LINK, e.WhatHappened.ENTERED_PASSWORD):
        delivery.link_clicked_at = at
        if what == e.WhatHappened.ENTERED_PASSWORD:
            delivery.credentials_entered_at = at
    delivery.save()
    return delivery


def _reporter_asset_label(report: Report) -> str:
    """The reporter's PC when it is suspected (rule X-1: they opened, clicked or typed), else ""."""
    opened = report.what_happened in (
        e.WhatHappened.OPENED_ATTACHMENT,
        e.WhatHappened.CLICKED_LINK,
        e.WhatHappened.ENTERED_PASSWORD,
    )
    return report.asset_label.strip() if opened else ""


def _record_reporter_asset(incident: Incident, report: Report) -> None:
    """Rule X-1: the PC of someone who opened the attachment is suspected infected."""
    label = _reporter_asset_label(report)
    if not label:
        return
    asset = (
        Asset.objects.filter(organisation_id=incident.organisation_id, asset_tag=label).first()
        or Asset.objects.filter(
            organisation_id=incident.organisation_id, hostname__iexact=label
        ).first()
    )
    if asset is None:
        if len(label) > ASSET_TAG_MAX_LENGTH:  # a label stored before the forms were bounded
            raise DerivedRecordError(
                _(
                    "The PC name is longer than an asset tag (%(limit)d characters): "
                    "add the PC to the incident by hand."
                )
                % {"limit": ASSET_TAG_MAX_LENGTH}
            )
        asset = Asset.objects.create(
            organisation_id=incident.organisation_id, asset_tag=label, hostname=label
        )
    affected, _created = AffectedAsset.objects.get_or_create(
        incident=incident,
        asset=asset,
        defaults={"infection_via": e.InfectionVia.MAIL, "first_infected_at": report.received_at},
    )
    before = {
        "infection_state": affected.infection_state,
        "containment_state": affected.containment_state,
        "remediation_state": affected.remediation_state,
    }
    if (
        report.what_happened == e.WhatHappened.OPENED_ATTACHMENT
        and e.INFECTION_RANK[affected.infection_state] < e.INFECTION_RANK["SUSPECTED"]
    ):
        affected.infection_state = e.InfectionState.SUSPECTED
    if report.cable_pulled and affected.containment_state != e.ContainmentState.ISOLATED:
        affected.containment_state = e.ContainmentState.ISOLATED
        affected.isolated_at = report.cable_pulled_at or report.received_at
        affected.isolation_method = e.IsolationMethod.LAN_UNPLUG
    affected.save()
    findings.after_asset_change(
        affected=affected,
        before=before,
        actor=report.reporter,
        observed_at=report.received_at,
        occurred_at=min(report.mail_received_at or report.received_at, report.received_at),
    )


def incident_lock(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


PEOPLE_FIELDS = {"csirt_lead", "owner"}


def _person_label(user: User | None) -> str:
    return str(user) if user is not None else ""


def _change_payload(name: str, old: Any, new: Any) -> dict[str, Any]:
    """One field's edit; people are kept by id with the name they had (names change)."""
    if name in PEOPLE_FIELDS:
        return {
            "field": name,
            "from": old.pk if old else None,
            "to": new.pk if new else None,
            "from_label": _person_label(old),
            "to_label": _person_label(new),
        }
    return {"field": name, "from": old, "to": new}


@transaction.atomic
def incident_update(*, incident: Incident, actor: User, changes: dict[str, Any]) -> Incident:
    """Change descriptive fields and the people in charge; each changed field is one timeline
    entry with its old and new value. Status and level have their own commands."""
    access.require(access.can_edit_incidents(actor), "edit incidents")
    unknown = set(changes) - EDITABLE_FIELDS - PEOPLE_FIELDS
    if unknown:
        raise InvalidInput(
            "field_not_editable", _("These fields cannot be changed here."), fields=sorted(unknown)
        )
    people = [changes[name] for name in PEOPLE_FIELDS & set(changes) if changes[name]]
    if any(p.organisation_id != incident.organisation_id for p in people):
        raise InvalidInput(
            "person_not_in_organisation", _("Only people of the organisation can be assigned.")
        )
    incident = incident_lock(incident)
    if "tlp" in changes:
        _check_tlp_floor(incident, changes["tlp"])
    before = {name: getattr(incident, name) for name in changes}
    for name, value in changes.items():
        setattr(incident, name, value)
    incident.full_clean(exclude=["organisation", *PEOPLE_FIELDS])
    incident.save()
    for name, value in changes.items():
        if before[name] != value:
            timeline_append(
                incident=incident,
                kind="incident.updated",
                actor=actor,
                payload=_change_payload(name, before[name], value),
            )
    return incident


TLP_ORDER = [e.Tlp.CLEAR, e.Tlp.GREEN, e.Tlp.AMBER, e.Tlp.AMBER_STRICT, e.Tlp.RED]


def _check_tlp_floor(incident: Incident, tlp: str) -> None:
    """T-1: a TLP below what another app requires (RED while a personal-data set is linked)
    is refused."""
    rank = TLP_ORDER.index(tlp) if tlp in TLP_ORDER else 0
    if any(rank < TLP_ORDER.index(floor) for floor in extensions.tlp_floors(incident)):
        raise Conflict(
            "TLP_LOCKED",
            _(
                "This incident is linked to personal data: its TLP stays RED while the link "
                "exists (rule T-1)."
            ),
            field="tlp",
        )


@transaction.atomic
def incident_assign(
    *,
    incident: Incident,
    actor: User,
    csirt_lead: User | None = None,
    handlers: list[User] | None = None,
) -> Incident:
    access.require(access.can_edit_incidents(actor), "assign people")
    incident = incident_lock(incident)
    people = ([csirt_lead] if csirt_lead else []) + list(handlers or [])
    if any(p.organisation_id != incident.organisation_id for p in people):
        raise InvalidInput(
            "person_not_in_organisation", _("Only people of the organisation can be assigned.")
        )
    if csirt_lead is not None:
        incident.csirt_lead = csirt_lead
        incident.save(update_fields=["csirt_lead", "updated_at"])
    if handlers is not None:
        incident.handlers.set(handlers)
    timeline_append(
        incident=incident,
        kind="incident.assigned",
        actor=actor,
        payload={
            "csirt_lead": csirt_lead.pk if csirt_lead else None,
            "handlers": [h.pk for h in handlers] if handlers is not None else None,
            # The names as they were, so the record reads without looking people up.
            "names": {str(p.pk): str(p) for p in people},
        },
    )
    return incident


def indicator_normalise(kind: str, value: str) -> tuple[str, str]:
    norm = normalize.normalise(kind, value)
    if not norm:
        raise InvalidInput(
            "invalid_indicator",
            _("This value is not a valid %(kind)s.") % {"kind": kind},
            field="value",
        )
    return norm, normalize.digest(kind, norm)
