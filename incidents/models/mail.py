from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from incidents.models.incident import Incident


class MailMessage(TimeStampedModel):
    """One email of a campaign: what every recipient received."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="mail_messages", verbose_name=_("incident")
    )
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    sender = models.CharField(_("sender"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=255, blank=True)
    sha256 = models.CharField(_("attachment SHA-256"), max_length=64, blank=True)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("mail message")
        verbose_name_plural = _("mail messages")

    def __str__(self) -> str:
        return self.subject or self.message_id or str(self.pk)


class MailDelivery(TimeStampedModel):
    """Who received the message and what they did with it ("find who opened it", seed L1)."""

    message = models.ForeignKey(
        MailMessage, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("message")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mail_deliveries",
        verbose_name=_("recipient"),
    )
    recipient_name = models.CharField(_("recipient name"), max_length=200, blank=True)
    recipient_email = models.EmailField(_("recipient email"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    opened_attachment_at = models.DateTimeField(_("attachment opened at"), null=True, blank=True)
    link_clicked_at = models.DateTimeField(_("link clicked at"), null=True, blank=True)
    credentials_entered_at = models.DateTimeField(_("password entered at"), null=True, blank=True)
    executed = models.BooleanField(_("executed"), default=False)
    blocked = models.BooleanField(_("blocked (quarantined)"), default=False)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mail delivery")
        verbose_name_plural = _("mail deliveries")

    def __str__(self) -> str:
        return f"{self.message_id} → {self.recipient_email or self.recipient_id}"
