"""Report first, then first aid (issue 15): the one tap saves the report before anything else.

A worker who opened a suspicious email taps once; the report is filed at that moment (who,
which PC if known, when) and only then is the worker told to pull the cable. Whatever they can
say later — from the same browser or from a phone — updates that report: a repeated tap finds
the report it already filed (``tap_key``), and the details form never files a second one.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from common import clock
from incidents import normalize
from incidents.models import Event, EventKey, Report, ReportKey
from incidents.models.enums import Channel, Disposition, EventStatus, Impact
from incidents.services import intake, records
from incidents.services.timeline import timeline_append

# What the details form may change on a filed report; everything else stays as filed.
DETAIL_FIELDS = (
    "what_happened",
    "sender",
    "subject",
    "message_id",
    "url",
    "mail_received_at",
    "attachment_name",
    "attachment_sha256",
    "asset_label",
    "cable_pulled",
    "cable_pulled_at",
    "description",
)
CONTACT_FIELDS = ("reporter_name", "reporter_email", "reporter_phone")
MAIL_FIELDS = ("sender", "subject", "message_id", "url")


def report_tap(
    *,
    organisation: Organisation,
    actor: User | None,
    tap_key: str,
    asset_label: str = "",
) -> Report:
    """File the report of "I opened it" at once; the same ``tap_key`` returns the same report."""
    existing = _tapped(organisation, tap_key)
    if existing is not None:
        return existing
    who = str(actor) if actor is not None else str(_("someone without an account"))
    if asset_label:
        summary = _("Opened a suspicious email: %(who)s (%(pc)s)") % {"who": who, "pc": asset_label}
    else:
        summary = _("Opened a suspicious email: %(who)s") % {"who": who}
    data = intake.ReportInput(
        channel=Channel.ONE_TAP,
        impact=Impact.MEDIUM,  # it was opened: the PC may be infected (triage matrix)
        asset_label=asset_label.strip(),
        tap_key=tap_key,
        summary=str(summary),
    )
    try:
        with transaction.atomic():
            return intake.report_submit(organisation=organisation, actor=actor, data=data)
    except IntegrityError:
        # The same tap, sent twice at once: the other request filed it.
        existing = _tapped(organisation, tap_key)
        if existing is None:
            raise
        return existing


def _tapped(organisation: Organisation, tap_key: str) -> Report | None:
    if not tap_key:
        return None
    return Report.objects.filter(organisation=organisation, tap_key=tap_key).first()


@transaction.atomic
def report_confirm_first_aid(*, report: Report) -> Report:
    """The worker says they did the first-aid steps; the first confirmation counts."""
    Report.objects.filter(pk=report.pk, first_aid_confirmed_at__isnull=True).update(
        first_aid_confirmed_at=clock.now()
    )
    report.refresh_from_db(fields=["first_aid_confirmed_at"])
    return report


@transaction.atomic
def report_add_details(
    *, report: Report, data: intake.ReportInput, eml: UploadedFile | None = None
) -> Report:
    """Complete a filed report with what the reporter can say now; sending the same details
    twice leaves the report as the first time did. No new report is ever filed here."""
    intake.validate_input(data)
    report = _lock(report)
    had_mail = any(getattr(report, name) for name in MAIL_FIELDS)
    parse_error = intake.merge_eml(data, eml)
    _apply(report, data, eml, parse_error)
    keys = intake.mail_keys(_input_of(report, data))
    _replace_keys(report, keys)
    if report.incident_id is not None:
        _into_incident(report, keys, had_mail=had_mail)
    elif report.event_id is not None:
        _regroup(report, keys)
    return report


def _lock(report: Report) -> Report:
    """Lock the triage item before the report, in the order triage takes them (no deadlock)."""
    event_id = Report.objects.filter(pk=report.pk).values_list("event_id", flat=True).get()
    if event_id is not None:
        Event.objects.select_for_update().filter(pk=event_id).values_list("pk").get()
    return Report.objects.select_for_update().get(pk=report.pk)


def _apply(report: Report, data: intake.ReportInput, eml: UploadedFile | None, error: str) -> None:
    for name in DETAIL_FIELDS:
        value = getattr(data, name)
        if value not in ("", None):
            setattr(report, name, value)
    for name in CONTACT_FIELDS:
        value = getattr(data, name).strip()
        if value and not (report.reporter_id and name != "reporter_phone"):
            setattr(report, name, value)
    report.attachment_sha256 = normalize.sha256(report.attachment_sha256)
    if eml is not None:
        report.eml.save(intake.eml_name(report), eml, save=False)
        report.eml_parse_error = error
    report.details_at = clock.now()
    report.save()


def _input_of(report: Report, data: intake.ReportInput) -> intake.ReportInput:
    """The report as it now stands, with the extra keys the new .eml brought."""
    values: dict[str, Any] = {
        f.name: getattr(report, f.name)
        for f in fields(intake.ReportInput)
        if f.name in DETAIL_FIELDS
    }
    return intake.ReportInput(**values, extra_keys=data.extra_keys)


def _replace_keys(report: Report, keys: list[intake.MailKey]) -> None:
    ReportKey.objects.filter(report=report).delete()
    intake.save_keys(report, keys)
    if report.event_id:
        ReportKey.objects.filter(report=report).update(event_id=report.event_id)


def _into_incident(report: Report, keys: list[intake.MailKey], *, had_mail: bool) -> None:
    incident = report.incident
    if not had_mail:  # the mail records are derived once, from the first details with a mail
        records.incident_absorb_report(
            incident=incident, report=report, keys=keys, actor=report.reporter
        )
    timeline_append(
        incident=incident,
        kind="report.details_added",
        actor=report.reporter,
        actor_label=report.reporter_name,
        payload={"report": report.number},
    )


def _regroup(report: Report, keys: list[intake.MailKey]) -> None:
    """A waiting report alone in its item joins the email's campaign when the details name it:
    an open incident with that mail, or another waiting item; its own item is then closed."""
    event = Event.objects.get(pk=report.event_id)
    if event.status != EventStatus.RECEIVED:
        return
    alone = event.report_count <= 1
    if alone:
        incident, kind = intake.match_incident(report.organisation, keys)
        if incident is not None:
            _close_merged(event, into=incident.ref)
            intake.join_incident(report, incident, keys, kind, report.reporter)
            return
        other, kind = intake.match_event(report.organisation, keys, exclude=event.pk)
        if other is not None:
            _close_merged(event, into=f"EV-{other.pk}")
            intake.join_event(report, other, keys, kind)
            return
    intake.claim_keys(event, keys)
    _refresh_item(event, report, alone=alone)


def _close_merged(event: Event, *, into: str) -> None:
    event.status = EventStatus.DUPLICATE
    event.disposition = Disposition.DUPLICATE
    event.disposition_note = str(_("Merged automatically into %(target)s.") % {"target": into})
    event.triaged_at = clock.now()
    event.report_count = 0
    event.save()
    EventKey.objects.filter(event=event).update(open=False)


def _refresh_item(event: Event, report: Report, *, alone: bool) -> None:
    """A report alone in its item names it: the subject and the impact the details give."""
    if not alone:
        return
    impact = intake.IMPACT_BY_WHAT.get(report.what_happened, event.impact)
    event.summary = (report.subject or event.summary)[:300]
    if impact != event.impact:
        event.impact = impact
        result = intake.priority_of(event.organisation_id, event.category, impact)
        event.priority, event.priority_reason = result.priority, result.reason[:300]
    event.save()
