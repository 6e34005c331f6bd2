"""Intake (受付): file a report, group it with reports of the same email (campaign grouping).

A report whose mail matches an open incident joins that incident; otherwise it joins a waiting
triage item with the same mail, or starts a new one. An open item's mail keys are unique
(EventKey), so concurrent first reports of one email can never start two items: the loser's
insert waits for the winner's commit, fails, and joins the winner's item.

What needs the reports' order comes last (issue 20), since the locks it takes are held until
the commit and every report of a wave would wait for them: the report's number (the
organisation's locked report counter, services/refs.py: gap-free, a rolled-back report gives
its number back) and, joining an incident, the incident's row lock (it orders the timeline's
hash chain, the incident's report count and the message's last seen). Until then reports of
one wave run side by side: the match reads without locking, the derived records are written,
and the one thing they share, the incident's first mail message, is created under a lock of
its own (services/messages.py). The locks are always taken in the order item, report counter,
incident. Queries per report are counted by tests/incidents/api/test_intake_scale.py.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from common import clock, events
from common.errors import InvalidInput
from common.prepared import Prepared
from incidents import emlparse, normalize, triage
from incidents.models import (
    Event,
    EventKey,
    Incident,
    Indicator,
    IntakeSettings,
    Report,
    ReportKey,
)
from incidents.models.assets import ASSET_TAG_MAX_LENGTH
from incidents.models.enums import Channel, Impact, IndicatorKind, IntakeProblem, WhatHappened
from incidents.services import records, refs
from incidents.services.timeline import timeline_append

logger = logging.getLogger(__name__)

# A single one of these identifies the email; sender and subject identify it only together.
STRONG_KINDS = (IndicatorKind.MESSAGE_ID, IndicatorKind.FILE_SHA256, IndicatorKind.URL)
PAIR_KINDS = (IndicatorKind.SENDER_ADDRESS, IndicatorKind.SUBJECT)
MAIL_KINDS = (*STRONG_KINDS, *PAIR_KINDS)
EARLIEST = datetime(2000, 1, 1).astimezone()
FUTURE_TOLERANCE = timedelta(minutes=10)
EML_MAX_BYTES = 10 * 1024 * 1024
# A second incident closing between another match and its lock is not looked for: after two
# placings the report waits alone, marked for the ISMS office (report_submit).
PLACE_ATTEMPTS = 2
# Someone who opened, clicked or typed a password may have an infected PC: rank it higher
# in the triage matrix than a mail that was only received.
IMPACT_BY_WHAT = {
    WhatHappened.RECEIVED_ONLY: Impact.LOW,
    WhatHappened.OPENED_ATTACHMENT: Impact.MEDIUM,
    WhatHappened.CLICKED_LINK: Impact.MEDIUM,
    WhatHappened.ENTERED_PASSWORD: Impact.MEDIUM,
}


@dataclass
class ReportInput:
    channel: str = Channel.WEB_FORM
    category: str = "TARGETED_EMAIL"
    what_happened: str = ""
    sender: str = ""
    subject: str = ""
    message_id: str = ""
    url: str = ""
    mail_received_at: datetime | None = None
    attachment_name: str = ""
    attachment_sha256: str = ""
    asset_label: str = ""
    cable_pulled: bool | None = None
    cable_pulled_at: datetime | None = None
    first_aid_confirmed_at: datetime | None = None
    description: str = ""
    reporter_name: str = ""
    reporter_email: str = ""
    reporter_phone: str = ""
    impact: str = Impact.LOW
    extra_keys: list[tuple[str, str]] = field(default_factory=list)
    # The one tap (services/report_first.py): its idempotency key and the triage item's title.
    tap_key: str = ""
    summary: str = ""
    # An exercise's report (training's player): its triage item alerts nobody real (issue 18).
    exercise: bool = False


@dataclass(frozen=True)
class MailKey:
    kind: str
    value: str
    normalized: str
    digest: str


def report_submit(
    *,
    organisation: Organisation,
    actor: User | None,
    data: ReportInput,
    eml: UploadedFile | None = None,
) -> Report:
    """File a report (rule EV-1) and place it: incident, waiting item, or a new item.

    Once the report row is written it is kept: if grouping it fails, it waits for triage in a
    triage item of its own, marked for the ISMS office (issue 12).
    """
    _validate_times(data)
    _validate_asset_label(data)
    parse_error = _merge_eml(data, eml)
    keys = mail_keys(data)
    # No savepoint of its own (issue 20): inside a caller's transaction (the API's idempotency
    # record) a failure here aborts that transaction as a whole, which is what the caller wants;
    # a caller that goes on after a failure takes its own savepoint (report_first, channels).
    with transaction.atomic(savepoint=False):
        report = _create_report(organisation, actor, data, eml, parse_error)
        try:
            _place_again_if_closed(report, organisation, actor, data, keys)
        except Exception as exc:  # the report is kept whatever grouping does
            logger.exception("Report %s could not be grouped", report.pk)
            report.seq = None  # a number taken in the rolled-back placing went back with it
            records.report_note_problem(
                report=report, problem=IntakeProblem.GROUPING, detail=str(exc)
            )
            _place_alone(report, organisation, data)
        refs.report_number_take(report)  # last: see the module's docstring
        return report


def _place_again_if_closed(
    report: Report,
    organisation: Organisation,
    actor: User | None,
    data: ReportInput,
    keys: list[MailKey],
) -> None:
    """Place the report; if the incident it matched was closed before it could join (the match
    reads without a lock), place it again from the start, as a report filed a moment later
    would be: the closed incident no longer matches, so it waits for triage with its mail."""
    for attempt in range(PLACE_ATTEMPTS):
        try:
            with transaction.atomic():
                _place(report, organisation, actor, data, keys)
            return
        except IncidentClosedMeanwhile:
            if attempt + 1 == PLACE_ATTEMPTS:
                raise
            report.refresh_from_db()  # what the rolled-back placing wrote in memory goes too


def _place(
    report: Report,
    organisation: Organisation,
    actor: User | None,
    data: ReportInput,
    keys: list[MailKey],
) -> None:
    incident, matched_kind, known = _find_incident(organisation, keys)
    if incident is not None:
        _save_keys(report, keys)
        count = _join_incident(report, incident, keys, matched_kind, actor, known=known)
        _announce(report, incident=incident, event=None, count=count, new_item=False)
        return
    if data.exercise:  # the exercise declares its incident at once; nobody real is told
        event, matched_kind, held = _new_event_or_match(organisation, data, report, keys, set())
        _join_event(report, event, keys, matched_kind, new_keys=True, held=held)
        return
    event, matched_kind, held = _find_event(organisation, keys)
    if event is None:
        event, matched_kind, held = _new_event_or_match(organisation, data, report, keys, held)
    _join_event(report, event, keys, matched_kind, new_keys=True, held=held)
    _announce(
        report, incident=None, event=event, count=event.report_count, new_item=not matched_kind
    )


def _place_alone(report: Report, organisation: Organisation, data: ReportInput) -> None:
    """A triage item of the report alone, claiming no keys: the office groups it by hand."""
    report.incident = None
    event = _new_event(organisation, data, report.received_at)
    _join_event(report, event, [], "")
    _announce(report, incident=None, event=event, count=1, new_item=True)


def _validate_asset_label(data: ReportInput) -> None:
    """The label becomes the inventory's asset tag: refuse what the tag cannot hold."""
    length = len(data.asset_label.strip())
    if length > ASSET_TAG_MAX_LENGTH:
        raise InvalidInput(
            "max_length",
            _("Ensure this field has no more than %(limit)d characters (it has %(length)d).")
            % {"limit": ASSET_TAG_MAX_LENGTH, "length": length},
            field="asset_label",
        )


def _announce(
    report: Report, *, incident: Incident | None, event: Event | None, count: int, new_item: bool
) -> None:
    events.publish(
        "report.received",
        organisation_id=report.organisation_id,
        incident=incident,
        event=event,
        report=report,
        new_item=new_item,
    )
    if count > 1:
        events.publish(
            "campaign.grew",
            organisation_id=report.organisation_id,
            incident=incident,
            event=event,
            count=count,
        )


def _validate_times(data: ReportInput) -> None:
    latest = clock.now() + FUTURE_TOLERANCE
    for name in ("mail_received_at", "cable_pulled_at", "first_aid_confirmed_at"):
        value = getattr(data, name)
        if value is not None and not (EARLIEST <= value <= latest):
            raise InvalidInput(
                "invalid_timestamp",
                _("%(field)s must lie between 2000 and now.") % {"field": name},
                field=name,
            )


def _merge_eml(data: ReportInput, eml: UploadedFile | None) -> str:
    """Fill blanks from the .eml; a file that does not parse is kept and noted, not refused."""
    if eml is None:
        return ""
    if eml.size and eml.size > EML_MAX_BYTES:
        raise InvalidInput("eml_too_large", _("The .eml file is larger than 10 MB."))
    raw = eml.read()
    eml.seek(0)
    try:
        parsed = emlparse.parse_eml(raw)
    except emlparse.EmlError as exc:
        return str(exc)[:300]
    data.sender = data.sender or parsed.sender
    data.subject = data.subject or parsed.subject
    data.message_id = data.message_id or parsed.message_id
    data.url = data.url or (parsed.urls[0] if parsed.urls else "")
    if parsed.attachments:
        name, digest = parsed.attachments[0]
        data.attachment_name = data.attachment_name or name
        data.attachment_sha256 = data.attachment_sha256 or digest
    data.extra_keys += [(IndicatorKind.URL, u) for u in parsed.urls[1:]]
    data.extra_keys += [(IndicatorKind.FILE_SHA256, d) for _, d in parsed.attachments[1:]]
    return ""


def mail_keys(data: ReportInput) -> list[MailKey]:
    raw = [
        (IndicatorKind.SENDER_ADDRESS, data.sender),
        (IndicatorKind.SUBJECT, data.subject),
        (IndicatorKind.MESSAGE_ID, data.message_id),
        (IndicatorKind.URL, data.url),
        (IndicatorKind.FILE_SHA256, data.attachment_sha256),
        *data.extra_keys,
    ]
    keys: dict[tuple[str, str], MailKey] = {}
    for kind, value in raw:
        norm = normalize.normalise(kind, value)
        if norm:
            keys[(kind, norm)] = MailKey(
                kind, value.strip()[:2000], norm[:2000], normalize.digest(kind, norm)
            )
    return list(keys.values())


def _create_report(
    organisation: Organisation,
    actor: User | None,
    data: ReportInput,
    eml: UploadedFile | None,
    parse_error: str,
) -> Report:
    received_at = clock.now()
    year = refs.incident_year(organisation, received_at)
    report = Report(
        organisation=organisation,
        is_exercise=data.exercise,
        year=year,
        seq=None,  # taken last (refs.report_number_take)
        channel=data.channel,
        reporter=actor,
        reporter_name=data.reporter_name or (str(actor) if actor else ""),
        reporter_email=data.reporter_email or (actor.email if actor else ""),
        reporter_phone=(data.reporter_phone or (actor.phone if actor else ""))[:40],
        tap_key=data.tap_key[:64],
        received_at=received_at,
        category=data.category,
        what_happened=data.what_happened,
        first_aid_confirmed_at=data.first_aid_confirmed_at,
        sender=data.sender[:320],
        subject=data.subject[:998],
        message_id=data.message_id[:998],
        url=data.url[:2000],
        mail_received_at=data.mail_received_at,
        attachment_name=data.attachment_name[:255],
        attachment_sha256=normalize.sha256(data.attachment_sha256),
        asset_label=data.asset_label[:100],
        cable_pulled=data.cable_pulled,
        cable_pulled_at=data.cable_pulled_at,
        description=data.description,
        eml_parse_error=parse_error,
    )
    if eml is not None:
        report.eml.save(eml_name(report), eml, save=False)
    report.save()
    return report


def eml_name(report: Report) -> str:
    """Server-generated; the uploaded name is never used on disk."""
    return f"{clock.now():%Y%m%d%H%M%S}-{id(report):x}.eml"


def _save_keys(report: Report, keys: list[MailKey], event: Event | None = None) -> None:
    ReportKey.objects.bulk_create(
        [
            ReportKey(
                organisation=report.organisation,
                report=report,
                event=event,
                kind=k.kind,
                value=k.value,
                digest=k.digest,
            )
            for k in keys
        ]
    )


def _match(candidates: list[tuple[int, str]]) -> tuple[int | None, str]:
    """Pick the target: a strong key wins; sender and subject count only together."""
    by_target: dict[int, set[str]] = {}
    for target_id, kind in candidates:
        by_target.setdefault(target_id, set()).add(kind)
    for kind in STRONG_KINDS:
        hits = sorted(t for t, kinds in by_target.items() if kind in kinds)
        if hits:
            return hits[0], kind
    pairs = sorted(t for t, kinds in by_target.items() if set(PAIR_KINDS) <= kinds)
    if pairs:
        return pairs[0], f"{IndicatorKind.SENDER_ADDRESS}+{IndicatorKind.SUBJECT}"
    return None, ""


def _match_incident(organisation: Organisation, keys: list[MailKey]) -> tuple[Incident | None, str]:
    incident, kind, _known = _find_incident(organisation, keys)
    return incident, kind


def _find_incident(
    organisation: Organisation, keys: list[MailKey]
) -> tuple[Incident | None, str, set[tuple[str, str]]]:
    """The open incident the mail matches, and which of the keys it already holds.

    One statement (issue 20), no lock: the join takes the incident's row lock at its end
    (_join_incident). The kind and digest pairs found on the chosen incident are its
    indicators among the report's keys: the absorb adds only the others.
    """
    mail_keys_ = [k for k in keys if k.kind in MAIL_KINDS]
    if not mail_keys_:
        return None, "", set()
    rows = _open_incident_indicators(
        organisation.pk, sorted({k.kind for k in mail_keys_}), [k.digest for k in mail_keys_]
    )
    incident_id, kind = _match([(row.incident_id, row.kind) for row in rows])
    if incident_id is None:
        return None, "", set()
    chosen = [row for row in rows if row.incident_id == incident_id]
    incident = chosen[0].incident
    incident.organisation = organisation  # carried: alert routing reads it, not the database
    return incident, kind, {(row.kind, row.digest) for row in chosen}


# The intake's fixed reads, compiled once per thread (issue 20: common/prepared.py). The kinds
# are in the match too, so the lookup is an index scan of ind_match (organisation, kind,
# digest), not a scan of every indicator of the organisation (issue 20). Only the incidents
# the mail matches (a strong key, or sender and subject together) come: an incident that
# shares only the sender with the report is not read (a spoofed sender common to many
# incidents would otherwise bring them all on every report).
def _incident_indicators(
    organisation_id: int, kinds: list[str], digests: list[str]
) -> QuerySet[Indicator]:
    keys = Indicator.objects.filter(
        organisation_id=organisation_id, kind__in=kinds, digest__in=digests
    )
    matched = (
        keys.values("incident_id")
        .annotate(
            strong=Count("pk", filter=Q(kind__in=STRONG_KINDS)),
            pair=Count("kind", distinct=True, filter=Q(kind__in=PAIR_KINDS)),
        )
        .filter(Q(strong__gt=0) | Q(pair=len(PAIR_KINDS)))
        .values("incident_id")
    )
    return (
        keys.filter(incident__status__in=records.OPEN_STATUSES, incident_id__in=matched)
        .select_related("incident")
        .only("kind", "digest", "incident")
        .order_by("incident_id")
    )


def _event_keys(organisation_id: int, kinds: list[str], digests: list[str]) -> QuerySet[EventKey]:
    return EventKey.objects.filter(
        organisation_id=organisation_id, open=True, kind__in=kinds, digest__in=digests
    ).select_related("event")


_open_incident_indicators = Prepared(_incident_indicators)
_open_event_keys = Prepared(_event_keys)


def _match_event(
    organisation: Organisation, keys: list[MailKey], exclude: int | None = None
) -> tuple[Event | None, str]:
    event, kind, _held = _find_event(organisation, keys, exclude)
    return event, kind


def _find_event(
    organisation: Organisation, keys: list[MailKey], exclude: int | None = None
) -> tuple[Event | None, str, set[tuple[str, str]]]:
    """The open triage item the mail matches, and which of the keys open items hold already.

    One statement (issue 20): the item's row comes with its keys. A key an open item holds is
    not claimed again, by that item or another (an open key has one holder)."""
    mail_keys_ = [k for k in keys if k.kind in MAIL_KINDS]
    if not mail_keys_:
        return None, "", set()
    rows = _open_event_keys(
        organisation.pk, sorted({k.kind for k in mail_keys_}), [k.digest for k in mail_keys_]
    )
    held = {(row.kind, row.digest) for row in rows}
    rows = [row for row in rows if row.event_id != exclude]
    event_id, kind = _match([(row.event_id, row.kind) for row in rows])
    if not event_id:
        return None, "", held
    event = next(row.event for row in rows if row.event_id == event_id)
    event.organisation = organisation  # carried: alert routing reads it, not the database
    return event, kind, held


def _new_event_or_match(
    organisation: Organisation,
    data: ReportInput,
    report: Report,
    keys: list[MailKey],
    held: set[tuple[str, str]],
) -> tuple[Event, str, set[tuple[str, str]]]:
    """Start a triage item; if a concurrent first report claimed one of its keys, join that.
    Also the keys the item holds (of a new item: all it could claim).

    ``held``: the keys open items held when the match read them. The new item claims only the
    others, so that its claim fails on the keys a concurrent first report of the same email
    holds, and only on those (that report's commit ends the wait, the match then finds its
    item). A key another item claimed since the read fails the claim too: read again, retry.
    """
    for _attempt in range(CLAIM_ATTEMPTS):
        try:
            with transaction.atomic():
                event = _new_event(organisation, data, report.received_at)
                free = [k for k in keys if (k.kind, k.digest) not in held]
                _claim_keys(event, free, ignore_conflicts=False)
                return event, "", {(k.kind, k.digest) for k in keys}
        except IntegrityError:
            event, kind, held = _find_event(organisation, keys)
            if event is not None:
                return event, kind, held
    event = _new_event(organisation, data, report.received_at)  # keys claimed and let go again
    _claim_keys(event, keys, ignore_conflicts=True)
    return event, "", {(k.kind, k.digest) for k in keys}


CLAIM_ATTEMPTS = 3


def _claim_keys(event: Event, keys: list[MailKey], *, ignore_conflicts: bool) -> None:
    # Sorted, so two transactions claiming overlapping keys wait for each other, never deadlock.
    ordered = sorted((k for k in keys if k.kind in MAIL_KINDS), key=lambda k: (k.kind, k.digest))
    if not ordered:
        return
    EventKey.objects.bulk_create(
        [
            EventKey(
                organisation_id=event.organisation_id, event=event, kind=k.kind, digest=k.digest
            )
            for k in ordered
        ],
        ignore_conflicts=ignore_conflicts,
    )


def priority_of(organisation_id: int, category: str, impact: str) -> triage.TriageResult:
    """The priority the organisation's triage matrix gives (defaults where it says nothing)."""
    matrix = (
        IntakeSettings.objects.filter(organisation_id=organisation_id)
        .values_list("triage_matrix", flat=True)
        .first()
    )
    return triage.priority_for(category, impact, matrix)


def _new_event(organisation: Organisation, data: ReportInput, at: datetime) -> Event:
    result = priority_of(organisation.pk, data.category, data.impact)
    summary = (
        data.subject or data.summary or data.description[:120] or str(_("Suspicious email report"))
    )
    return Event.objects.create(
        organisation=organisation,
        summary=summary[:300],
        category=data.category,
        channel=data.channel,
        impact=data.impact,
        priority=result.priority,
        priority_reason=result.reason[:300],
        received_at=at,
    )


def _join_event(
    report: Report,
    event: Event,
    keys: list[MailKey],
    matched_kind: str,
    *,
    new_keys: bool = False,
    held: set[tuple[str, str]] | None = None,
) -> None:
    """``new_keys``: the report's keys are not written yet; they are written with the item.
    ``held``: the keys open items are known to hold (the match read them); the others are
    claimed."""
    if new_keys:
        _save_keys(report, keys, event)
    else:
        ReportKey.objects.filter(report=report).update(event=event)
    if matched_kind:  # the keys this report adds to the item (a wave adds none: no statement)
        added = [k for k in keys if (k.kind, k.digest) not in (held or ())]
        _claim_keys(event, added, ignore_conflicts=True)
    report.event = event
    report.matched = {"target": "event", "id": event.pk, "kind": matched_kind}
    if not matched_kind:
        report.matched["new"] = True
    report.save(update_fields=["event", "matched"])
    # Last, so the row lock on the item's counter is held only until the commit; one
    # statement counts and reads the new count back.
    event.report_count = _count_one_more(event.pk)


def _count_one_more(event_id: int) -> int:
    table = connection.ops.quote_name(Event._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET report_count = report_count + 1 "  # noqa: S608
            "WHERE id = %s RETURNING report_count",
            [event_id],
        )
        return cursor.fetchone()[0]


def _join_incident(
    report: Report,
    incident: Incident,
    keys: list[MailKey],
    matched_kind: str,
    actor: User | None,
    *,
    known: set[tuple[str, str]] | None = None,
) -> int:
    """Join the report to the incident; the incident's reports so far (this one counted)."""
    report.incident = incident
    report.matched = {
        "target": "incident",
        "id": incident.pk,
        "ref": incident.ref,
        "kind": matched_kind,
    }
    unsettled = records.incident_absorb_report(
        incident=incident,
        report=report,
        keys=keys,
        actor=actor,
        known_indicators=known,
        settle_later=True,
    )
    # From here to the commit one report at a time (the module's docstring): the number, then
    # the incident's row lock, which orders the count, the message's last seen, the tasks'
    # check, the reporter's PC and the timeline's hash chain.
    refs.report_number_take(report)
    count = _lock_link_and_count(report)
    unsettled.settle()
    timeline_append(
        incident=incident,
        kind="report.attached",
        actor=actor,
        actor_label=report.reporter_name,
        payload={"report": report.number, "matched": matched_kind},
        locked=True,
    )
    return count


class IncidentClosedMeanwhile(Exception):
    """The matched incident was closed before the report could join it: the report is placed
    again (``_place_again_if_closed``), and waits with its mail for triage."""


def _lock_link_and_count(report: Report) -> int:
    """Lock the incident, which must still be open (the match read it without a lock), write
    the report's incident and match, and count the incident's reports: one statement (issue
    20). The count sees every report the intake joined before: they committed before this
    report took its number (refs.report_number_take). This one is counted by its id, whatever
    the ``RETURNING`` sub-query's snapshot holds of the row being updated."""
    if connection.vendor != "postgresql":  # SQLite (`make run`): the same in three statements
        if not Incident.objects.filter(
            pk=report.incident_id, status__in=records.OPEN_STATUSES
        ).exists():
            raise IncidentClosedMeanwhile(_("The incident was closed while the report joined it."))
        Report.objects.filter(pk=report.pk).update(
            incident_id=report.incident_id, matched=report.matched
        )
        return Report.objects.filter(incident_id=report.incident_id).count()
    table = connection.ops.quote_name(Report._meta.db_table)
    incidents = connection.ops.quote_name(Incident._meta.db_table)
    incident_id, matched, pk = report.incident_id, json.dumps(report.matched), report.pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH locked AS (SELECT id FROM {incidents} WHERE id = %s "  # noqa: S608
            "AND status = ANY(%s) FOR UPDATE) "
            f"UPDATE {table} SET incident_id = locked.id, matched = %s::jsonb FROM locked "
            f"WHERE {table}.id = %s "
            f"RETURNING 1 + (SELECT COUNT(*) FROM {table} AS other "
            "WHERE other.incident_id = %s AND other.id <> %s)",
            [incident_id, records.OPEN_STATUSES, matched, pk, incident_id, pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise IncidentClosedMeanwhile(_("The incident was closed while the report joined it."))
    return row[0]


# --- What the details of a tapped report share with the first filing (report_first.py) -----


def validate_input(data: ReportInput) -> None:
    _validate_times(data)
    _validate_asset_label(data)


merge_eml = _merge_eml
save_keys = _save_keys
match_incident = _match_incident
match_event = _match_event
join_incident = _join_incident
join_event = _join_event


def claim_keys(event: Event, keys: list[MailKey]) -> None:
    """Keys a waiting item adds; a key another open item holds stays with that item."""
    _claim_keys(event, keys, ignore_conflicts=True)
