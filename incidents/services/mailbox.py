"""The reporting mailbox (issue 21): configure it, and poll it into reports.

A poll takes each message of the inbox once. The receipt of (mailbox, UIDVALIDITY, UID) and the
report it files are committed together; only then is the message moved out of the inbox (to
the processed or the quarantine folder). A poll that stops in between leaves the message in the
inbox with its receipt: the next poll sees the receipt, files nothing and only moves it. A
message that cannot be filed is quarantined with its reason, never dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from common import clock, crypto
from common.errors import InvalidInput
from incidents import access
from incidents.channels import imapbox
from incidents.models import MailOutcome, MailReceipt, MailSecurity, ReportingMailbox
from incidents.services import mailbox_filing

logger = logging.getLogger(__name__)
PURPOSE = b"incidents.reporting-mailbox"
LEASE = timedelta(minutes=15)  # longer than the poll task's hard time limit (10 minutes)


class PasswordUnreadable(Exception):
    """The stored password no longer decrypts (SECRET_KEY changed without its fallback)."""


# The poll's last error, by what failed (the status page says each in words).
ERROR_CODES = (
    (PasswordUnreadable, "password_unreadable"),
    (imapbox.LoginError, "login_failed"),
    (imapbox.ssl.SSLError, "tls_failed"),
    (imapbox.IMAPClientError, "server_error"),
    (OSError, "unreachable"),
)


@dataclass(frozen=True)
class Polled:
    taken: int = 0
    error: str = ""


def _max_bytes() -> int:
    return int(getattr(settings, "REPORT_MAILBOX_MAX_BYTES", 10 * 1024 * 1024))


@transaction.atomic
def mailbox_configure(
    *, organisation: Organisation, actor: User, password: str = "", **fields: object
) -> ReportingMailbox:
    """Create or change the organisation's mailbox; a blank password keeps the stored one."""
    access.require(
        access.can_manage_intake(actor) and actor.organisation_id == organisation.pk,
        "configure the reporting mailbox",
    )
    host = str(fields.get("host", "")).strip().lower()
    if fields.get("security") == MailSecurity.NONE and host not in imapbox.LOOPBACK:
        raise InvalidInput(
            "encryption_required",
            _("Without encryption only a server on this machine (localhost) can be used."),
            field="security",
        )
    box = ReportingMailbox.objects.select_for_update().filter(organisation=organisation).first()
    box = box or ReportingMailbox(organisation=organisation, created_by=actor)
    for name, value in fields.items():
        setattr(box, name, value.strip() if isinstance(value, str) else value)
    box.host = host
    if password:
        box.password_encrypted = crypto.encrypt(password, purpose=PURPOSE)
    if not box.password_encrypted:
        raise InvalidInput("password_required", _("Enter the mailbox password."), field="password")
    box.last_error = box.last_error_detail = ""
    box.save()
    logger.info("reporting mailbox of organisation %s set by %s", organisation.pk, actor.pk)
    return box


def mailboxes_poll() -> int:
    """Poll every enabled mailbox (the beat task); returns the messages taken."""
    return sum(
        mailbox_poll(mailbox=box).taken for box in ReportingMailbox.objects.filter(enabled=True)
    )


def mailbox_poll(*, mailbox: ReportingMailbox) -> Polled:
    """Take the inbox's messages once each; one poll of a mailbox at a time (a lease)."""
    now = clock.now()
    claimed = (
        ReportingMailbox.objects.filter(pk=mailbox.pk, enabled=True)
        .filter(Q(polling_until__isnull=True) | Q(polling_until__lt=now))
        .update(polling_until=now + LEASE, last_poll_at=now)
    )
    if not claimed:
        return Polled()
    taken, error, detail = 0, "", ""
    try:
        taken = _poll(mailbox)
    except Exception as exc:
        error = next((code for kind, code in ERROR_CODES if isinstance(exc, kind)), "failed")
        detail = f"{type(exc).__name__}: {exc}"[:300]
        logger.warning("reporting mailbox %s: poll failed (%s)", mailbox.pk, detail)
    finally:
        _finish_poll(mailbox, error, detail)
    return Polled(taken, error)


def _poll(mailbox: ReportingMailbox) -> int:
    try:
        password = crypto.decrypt(mailbox.password_encrypted, purpose=PURPOSE)
    except ValueError:
        raise PasswordUnreadable from None
    taken = 0
    with imapbox.session(mailbox, password) as box:
        listing = box.listing()
        for uid in listing.uids:
            taken += _take(box, mailbox, listing.uidvalidity, uid)
    return taken


def _finish_poll(mailbox: ReportingMailbox, error: str, detail: str) -> None:
    now = clock.now()
    changes: dict[str, object] = {"polling_until": None}
    if error:
        changes |= {"last_error": error, "last_error_detail": detail, "last_error_at": now}
    else:
        changes |= {"last_success_at": now, "last_error": "", "last_error_detail": ""}
    ReportingMailbox.objects.filter(pk=mailbox.pk).update(**changes)


def _take(box: imapbox.Box, mailbox: ReportingMailbox, uidvalidity: int, uid: int) -> int:
    """File one message (unless its receipt exists), then move it. 1 when it was filed now."""
    receipt = MailReceipt.objects.filter(mailbox=mailbox, uidvalidity=uidvalidity, uid=uid).first()
    new = receipt is None
    if receipt is None:
        size = box.size(uid)
        too_large = size > _max_bytes()
        raw = box.headers(uid) if too_large else box.read(uid)
        try:
            receipt = mailbox_filing.file_message(
                mailbox=mailbox,
                uidvalidity=uidvalidity,
                uid=uid,
                raw=raw,
                size=size,
                too_large=too_large,
            )
        except IntegrityError:  # a concurrent poll committed it first: only move it
            receipt = MailReceipt.objects.get(mailbox=mailbox, uidvalidity=uidvalidity, uid=uid)
            new = False
    folder = (
        mailbox.quarantine_folder
        if receipt.outcome == MailOutcome.QUARANTINED
        else mailbox.processed_folder
    )
    box.move(uid, folder)
    MailReceipt.objects.filter(pk=receipt.pk).update(moved_at=clock.now())
    return int(new)
