"""A campaign's mail messages: an incident may hold several (a second sender address, a second
subject, a new attachment), each with its own deliveries, reports and executions.

A report joins the message it matches (the same Message-ID, attachment, URL, or sender and
subject together); a report of a new variant becomes a new message of the incident only when
triage says so (``event_attach(new_message=True)``) or a handler records one by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
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
    *, incident: Incident, mail: Mail, seen_at: datetime, new_variant: bool = False
) -> MailMessage:
    """The message a report's email belongs to: the one it matches; else a new message when
    triage said it is a new variant (or the incident has none yet); else the first one."""
    found = message_matching(incident, mail)
    if found is None and not new_variant:
        found = incident.mail_messages.order_by("id").first()
    if found is None:
        return _create(incident, mail, seen_at)
    MailMessage.objects.filter(pk=found.pk, last_seen__lt=seen_at).update(last_seen=seen_at)
    return found


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
