"""One message of the reporting mailbox becomes a receipt, and (most often) a report.

The receipt and the report are written in one transaction: both or neither. The report goes
through the same intake as the web form (intake.report_submit: triage, campaign grouping).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import User
from common import clock, events
from common.errors import InvalidInput
from incidents.channels import forwarded, mailreply
from incidents.models import MailOutcome, MailReceipt, Report, ReportingMailbox
from incidents.models.enums import Category, Channel
from incidents.services import intake

logger = logging.getLogger(__name__)


@transaction.atomic
def file_message(
    *,
    mailbox: ReportingMailbox,
    uidvalidity: int,
    uid: int,
    raw: bytes,
    size: int,
    too_large: bool,
) -> MailReceipt:
    """The receipt of one message (unique per UIDVALIDITY and UID), and its report."""
    receipt = MailReceipt(mailbox=mailbox, uidvalidity=uidvalidity, uid=uid, size=size)
    try:
        forward = forwarded.unwrap(raw)
    except forwarded.NotAMail:
        return _save(receipt, MailOutcome.QUARANTINED, "not_a_mail")
    receipt.forwarder = forward.forwarder
    person = _person(mailbox, forward.forwarder)
    inside = person is not None or forward.forwarder.rsplit("@", 1)[-1] in mailbox.domain_list
    taken = MailReceipt.objects.filter(mailbox=mailbox, message_id=forward.message_id)
    if forward.message_id and taken.exists():  # the same message under a new UID
        return _save(receipt, MailOutcome.DUPLICATE, "same_message_id")
    receipt.message_id = forward.message_id
    if too_large:
        return _save(receipt, MailOutcome.QUARANTINED, "too_large", reply=inside)
    if not inside:
        return _save(receipt, MailOutcome.IGNORED, "outside_domains")
    try:
        with transaction.atomic():
            receipt.report = _report(mailbox, forward, person, raw)
    except InvalidInput as refusal:
        logger.info("mail receipt %s:%s refused: %s", uidvalidity, uid, refusal.code)
        return _save(receipt, MailOutcome.QUARANTINED, "refused", reply=True)
    return _save(receipt, MailOutcome.REPORTED, forward.kind.lower(), reply=True)


def _save(receipt: MailReceipt, outcome: str, reason: str, *, reply: bool = False) -> MailReceipt:
    """The receipt, and (with ``reply``) the reply to its forwarder, published in this
    transaction: the alerts' outbox delivers it, retries it and logs each attempt."""
    receipt.outcome, receipt.reason = outcome, reason
    receipt.save()
    if reply and receipt.forwarder:
        events.publish(
            "mailbox.replied",
            organisation_id=receipt.mailbox.organisation_id,
            receipt=receipt,
            address=receipt.forwarder,
            mail=mailreply.compose(receipt),
        )
    return receipt


def _person(mailbox: ReportingMailbox, address: str) -> User | None:
    if not address:
        return None
    return (
        User.objects.filter(
            organisation_id=mailbox.organisation_id, email__iexact=address, is_active=True
        )
        .order_by("pk")
        .first()
    )


def _report(
    mailbox: ReportingMailbox, forward: forwarded.Forward, person: User | None, raw: bytes
) -> Report:
    data = intake.ReportInput(
        channel=Channel.EMAIL,
        reporter_name="" if person else forward.forwarder_name,
        reporter_email="" if person else forward.forwarder,
    )
    eml = None
    if forward.kind == forwarded.ATTACHED:
        eml = SimpleUploadedFile("original.eml", forward.original, "message/rfc822")
        data.mail_received_at = _within_range(_original_date(forward.original))
        data.description = forward.text
    elif forward.kind == forwarded.INLINE:
        data.sender, data.subject = forward.sender, forward.original_subject
        data.url = forward.urls[0] if forward.urls else ""
        data.extra_keys = [("URL", url) for url in forward.urls[1:]]
        data.description = forward.text
    else:  # written to the mailbox, not forwarded: the text is the report
        data.category = Category.OTHER
        data.description = f"{forward.subject}\n\n{forward.text}".strip()
    report = intake.report_submit(
        organisation=mailbox.organisation, actor=person, data=data, eml=eml
    )
    if eml is None:  # the forwarding message itself is the evidence
        report.eml.save(intake.eml_name(report), ContentFile(raw), save=False)
        report.save(update_fields=["eml", "updated_at"])
    return report


def _original_date(original: bytes) -> datetime | None:
    head = original.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    for line in head.decode("ascii", errors="replace").splitlines():
        if line.lower().startswith("date:"):
            return forwarded.sent_at(line[5:].strip())
    return None


def _within_range(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is None:
        return None
    return value if intake.EARLIEST <= value <= clock.now() else None
