"""The reporting mailbox (e.g. phishing@): people forward suspicious mail there (issue 21).

Each message taken from the mailbox leaves one receipt, keyed by the mailbox's UIDVALIDITY and
the message's UID (and its Message-ID): a message with a receipt is never filed again, and a
message is moved out of the inbox only after its receipt (and report) are committed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from common.models import TimeStampedModel
from incidents.models.intake import Report


class MailSecurity(models.TextChoices):
    # The codes differ from the protocols' names, which the labels show (no code on a page).
    TLS = "IMPLICIT_TLS", _("IMAP over TLS (port 993)")
    STARTTLS = "UPGRADE_TLS", _("STARTTLS (port 143)")
    # Only for a test server on this machine (the form refuses it for any other host).
    NONE = "NO_ENCRYPTION", _("No encryption (local test server only)")


class MailOutcome(models.TextChoices):
    REPORTED = "REPORTED", _("Filed as a report")
    DUPLICATE = "DUPLICATE", _("Already taken")
    IGNORED = "IGNORED", _("Ignored: sender outside the organisation's domains")
    QUARANTINED = "QUARANTINED", _("Quarantined")


class ReportingMailbox(TimeStampedModel):
    """The organisation's reporting mailbox and how the poll reads it; the password is
    encrypted at rest like the other channel secrets (common/crypto.py)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="reporting_mailbox"
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    host = models.CharField(_("IMAP server"), max_length=255)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(
        _("encryption"), max_length=16, choices=MailSecurity.choices, default=MailSecurity.TLS
    )
    username = models.CharField(_("user name"), max_length=255)
    password_encrypted = models.TextField(blank=True)
    folder = models.CharField(_("inbox folder"), max_length=200, default="INBOX")
    processed_folder = models.CharField(_("processed folder"), max_length=200, default="Processed")
    quarantine_folder = models.CharField(
        _("quarantine folder"), max_length=200, default="Quarantine"
    )
    # The organisation's mail domains, one a line: an unknown forwarder inside them files an
    # account-less report; outside them the message is ignored (and counted).
    domains = models.TextField(_("the organisation's mail domains"), blank=True)
    # The poll's lease (one poll of a mailbox at a time) and its last result, for the status.
    polling_until = models.DateTimeField(null=True, blank=True)
    last_poll_at = models.DateTimeField(_("last poll"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last successful poll"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=32, blank=True)
    last_error_detail = models.CharField(max_length=300, blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reporting mailbox")
        verbose_name_plural = _("reporting mailboxes")

    def __str__(self) -> str:
        return f"{self.username}@{self.host}"

    @property
    def domain_list(self) -> list[str]:
        return [d.strip().lower().lstrip("@") for d in self.domains.split() if d.strip()]


class MailReceipt(TimeStampedModel):
    """One message taken from the mailbox and what became of it."""

    mailbox = models.ForeignKey(ReportingMailbox, on_delete=models.CASCADE, related_name="receipts")
    uidvalidity = models.BigIntegerField()
    uid = models.BigIntegerField()
    message_id = models.CharField(max_length=998, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    forwarder = models.CharField(_("forwarded by"), max_length=320, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=MailOutcome.choices)
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, null=True, blank=True, related_name="mail_receipts"
    )
    moved_at = models.DateTimeField(null=True, blank=True)
    # The reply to the forwarder (receipt number, or why the message was refused) is an alert
    # (event ``mailbox.replied``), published with the receipt: the alerts' outbox delivers it.

    class Meta:
        constraints = [
            # "Never the same message twice": one receipt per message of the mailbox.
            models.UniqueConstraint(
                fields=["mailbox", "uidvalidity", "uid"], name="mail_receipt_uid"
            ),
            models.UniqueConstraint(
                fields=["mailbox", "message_id"],
                condition=~models.Q(message_id=""),
                name="mail_receipt_message_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mailbox_id}:{self.uidvalidity}:{self.uid}"
