"""A campaign's mail messages: an incident may hold several (a second sender address, a second
subject, a new attachment), each with its own deliveries, reports and executions.

A report joins the message it matches (the same Message-ID, attachment, URL, or sender and
subject together); a report of a new variant becomes a new message of the incident only when
triage says so (``event_attach(new_message=True)``) or a handler records one by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common import clock
from common.errors import Conflict, InvalidInput
from incidents import access, normalize
from incidents.models import Incident, Indicator, MailMessage
from incidents.models.enums import IndicatorKind
from incidents.services import task_records
from incidents.services.timeline import timeline_append


@dataclass(frozen=True)
class Mail:
    """What identifies an email, as received (normalised on comparison)."""

    sender: str = ""
    subject: str = ""
    message_id: str = ""
    sha256: str = ""
    url: str = ""
    attachment_name: str = ""

    def keys(self) -> dict[str, str]:
        """Indicator kind → normalised value, for the fields that are given."""
        raw = {
            IndicatorKind.SENDER_ADDRESS: self.sender,
            IndicatorKind.SUBJECT: self.subject,
            IndicatorKind.MESSAGE_ID: self.message_id,
            IndicatorKind.URL: self.url,
            IndicatorKind.FILE_SHA256: self.sha256,
        }
        return {k: n for k, v in raw.items() if (n := normalize.normalise(k, v))}

    def values(self) -> dict[str, str]:
        return {
            IndicatorKind.SENDER_ADDRESS: self.sender,
            IndicatorKind.SUBJECT: self.subject,
            IndicatorKind.MESSAGE_ID: self.message_id,
            IndicatorKind.URL: self.url,
            IndicatorKind.FILE_SHA256: self.sha256,
        }

    @property
    def empty(self) -> bool:
        return not self.keys()


STRONG = (IndicatorKind.MESSAGE_ID, IndicatorKind.FILE_SHA256, IndicatorKind.URL)
PAIR = (IndicatorKind.SENDER_ADDRESS, IndicatorKind.SUBJECT)


def mail_of(message: MailMessage) -> Mail:
    return Mail(
        sender=message.sender,
        subject=message.subject,
        message_id=message.message_id,
        sha256=message.sha256,
        url=message.url,
        attachment_name=message.attachment_name,
    )


def same_email(a: Mail, b: Mail) -> bool:
    """The intake's rule: a strong key alone, or sender and subject together."""
    mine, theirs = a.keys(), b.keys()
    if any(kind in mine and mine.get(kind) == theirs.get(kind) for kind in STRONG):
        return True
    return all(kind in mine and mine.get(kind) == theirs.get(kind) for kind in PAIR)


def message_matching(incident: Incident, mail: Mail) -> MailMessage | None:
    """The incident's message this email is (an incident holds a handful: read them all)."""
    for message in incident.mail_messages.order_by("id"):
        if same_email(mail, mail_of(message)):
            return message
    return None


def message_for_report(
    *,
    incident: Incident,
    mail: Mail,
    seen_at: datetime,
    new_variant: bool = False,
    seen_later: bool = False,
) -> MailMessage:
    """The message a report's email belongs to: the one it matches; else a new message when
    triage said it is a new variant (or the incident has none yet); else the first one.

    ``seen_later``: the caller moves the message's last seen itself (``message_seen``), later in
    its transaction (the intake, under the incident's lock: the update holds the message's row
    until the commit)."""
    found = _message_of(incident, mail, new_variant)
    if found is None:
        found = _message_created(incident, mail, seen_at, new_variant)
    if not seen_later:
        message_seen(found, seen_at)
    return found


def message_seen(message: MailMessage, seen_at: datetime) -> None:
    """Move the message's last seen forward (never back). A message read as seen at or after
    ``seen_at`` is left alone without a statement: last seen only grows (a new one: its own)."""
    if message.last_seen >= seen_at:
        return
    message.last_seen = seen_at
    if connection.vendor != "postgresql":  # SQLite (`make run`)
        MailMessage.objects.filter(pk=message.pk, last_seen__lt=seen_at).update(last_seen=seen_at)
        return
    # Not compiled per report (issue 20): the intake runs it under the incident's lock.
    table = connection.ops.quote_name(MailMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seen = %s WHERE id = %s AND last_seen < %s",  # noqa: S608
            [seen_at, message.pk, seen_at],
        )


def _message_of(incident: Incident, mail: Mail, new_variant: bool) -> MailMessage | None:
    found = message_matching(incident, mail)
    if found is None and not new_variant:
        found = incident.mail_messages.order_by("id").first()
    return found


def _message_created(
    incident: Incident, mail: Mail, seen_at: datetime, new_variant: bool
) -> MailMessage:
    """A new message, one creator at a time: two reports of one email joining an incident that
    has no message yet make one message, not two. The reports hold no lock of the incident
    while they write their records (issue 20), so this transaction-scoped advisory lock, keyed
    on the incident, orders the creators; the second reads again once the first committed."""
    _lock_new_messages(incident)
    found = _message_of(incident, mail, new_variant)
    return found if found is not None else _create(incident, mail, seen_at)


NEW_MESSAGE_LOCK = 0x4D41494C  # "MAIL": the advisory lock's class; its object is the incident


def _lock_new_messages(incident: Incident) -> None:
    if connection.vendor != "postgresql":  # SQLite (`make run`) writes one transaction at a time
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [NEW_MESSAGE_LOCK, incident.pk])


def _create(incident: Incident, mail: Mail, seen_at: datetime) -> MailMessage:
    return MailMessage.objects.create(
        incident=incident,
        message_id=mail.message_id[:998],
        sender=mail.sender[:320],
        subject=mail.subject[:998],
        attachment_name=mail.attachment_name[:255],
        sha256=normalize.sha256(mail.sha256),
        url=mail.url[:2000],
        first_seen=seen_at,
        last_seen=seen_at,
    )


def mail_indicators_add(
    *, incident: Incident, mail: Mail, at: datetime, actor: User | None
) -> None:
    """The email's keys as the incident's indicators (later reports of it join by them)."""
    values = mail.values()
    Indicator.objects.bulk_create(
        [
            Indicator(
                organisation_id=incident.organisation_id,
                incident=incident,
                kind=kind,
                value=values[kind].strip()[:2000],
                normalized=norm[:2000],
                digest=normalize.digest(kind, norm),
                first_seen=at,
                last_seen=at,
                created_by=actor,
            )
            for kind, norm in mail.keys().items()
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def message_add(*, incident: Incident, actor: User, mail: Mail) -> MailMessage:
    """Record a further email of the campaign by hand (a new variant): a message of its own
    with its indicators, so that reports of it join this incident."""
    access.require(access.can_edit_incidents(actor), "record mail messages")
    if mail.empty:
        raise InvalidInput(
            "empty_message",
            _("Give the sender, subject, attachment hash, URL or Message-ID of the email."),
        )
    existing = message_matching(incident, mail)
    if existing is not None:
        raise Conflict(
            "message_exists",
            _("This email is already recorded for the incident (message %(id)s).")
            % {"id": existing.pk},
            message=existing.pk,
        )
    now = clock.now()
    message = _create(incident, mail, now)
    mail_indicators_add(incident=incident, mail=mail, at=now, actor=actor)
    timeline_append(
        incident=incident,
        kind="mail.message_added",
        actor=actor,
        payload={"message": message.pk, "sender": message.sender, "subject": message.subject},
    )
    task_records.tasks_reconcile(incident=incident, actor=actor, kinds=("indicator",))
    return message
