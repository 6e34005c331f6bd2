"""Communications of an incident, their versions, the organisation's message templates and its
directory of outside parties (DOMAIN-MODEL §2.2 Communication, ExternalContact; §3.7 N-1 … N-4;
Annex A 5.5, 5.6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation
from bcp.models import Decision
from common.models import TimeStampedModel
from comms import enums
from incidents.models import Incident
from incidents.models.enums import Tlp

USER = settings.AUTH_USER_MODEL


class Communication(TimeStampedModel):
    """One message of the incident to one audience: drafted, approved, sent (or cancelled)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="communications"
    )
    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        related_name="communications",
        verbose_name=_("incident"),
    )
    audience = models.CharField(
        pgettext_lazy("comms", "audience"), max_length=20, choices=enums.Audience.choices
    )
    audience_detail = models.CharField(_("which ones"), max_length=200, blank=True)
    channel = models.CharField(
        pgettext_lazy("comms", "channel"), max_length=10, choices=enums.Channel.choices
    )
    tlp = models.CharField(_("TLP"), max_length=12, choices=Tlp.choices)
    subject = models.CharField(pgettext_lazy("comms", "subject"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    template_kind = models.CharField(
        _("template"), max_length=20, choices=enums.TemplateKind.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=enums.Status.choices, default=enums.Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # The approved PUBLIC_ANNOUNCEMENT decision a public message was sent under.
    announcement = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communications",
        verbose_name=_("announcement decision"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reference = models.CharField(pgettext_lazy("comms", "reference"), max_length=300, blank=True)
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("communication")
        verbose_name_plural = _("communications")
        indexes = [
            models.Index(fields=["incident", "status"], name="comm_incident_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="SENT") | models.Q(sent_at__isnull=False),
                name="comm_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class CommunicationVersion(models.Model):
    """What the communication said at each edit: versions are kept, never changed."""

    communication = models.ForeignKey(
        Communication, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    audience = models.CharField(
        pgettext_lazy("comms", "audience"), max_length=20, choices=enums.Audience.choices
    )
    channel = models.CharField(
        pgettext_lazy("comms", "channel"), max_length=10, choices=enums.Channel.choices
    )
    tlp = models.CharField(_("TLP"), max_length=12, choices=Tlp.choices)
    subject = models.CharField(pgettext_lazy("comms", "subject"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    edited_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(_("edited at"))

    class Meta:
        verbose_name = _("communication version")
        verbose_name_plural = _("communication versions")
        ordering = ["communication", "number"]
        constraints = [
            models.UniqueConstraint(fields=["communication", "number"], name="comm_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} v{self.number}"


class MessageTemplate(TimeStampedModel):
    """The organisation's wording of one kind of message in one language; {placeholders} are
    filled from the record, the rest is the organisation's to edit."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="message_templates"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=enums.TemplateKind.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(pgettext_lazy("comms", "subject"), max_length=300)
    body = models.TextField(_("body"))
    updated_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "language"], name="template_once_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"


class ExternalContact(TimeStampedModel):
    """An outside party the organisation reports to or works with (A.5.5, A.5.6)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="external_contacts"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=enums.ContactKind.choices)
    name = models.CharField(_("name"), max_length=200)
    desk = models.CharField(_("desk or person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    url = models.URLField(_("web page or form"), max_length=500, blank=True)
    reference_no = models.CharField(_("contract or policy number"), max_length=100, blank=True)
    hours = models.CharField(_("hours and escalation"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=100)
    updated_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("external contact")
        verbose_name_plural = _("external contacts")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class StaffMailList(TimeStampedModel):
    """Where a staff warning is mailed: the organisation's all-staff addresses (a distribution
    list, or a few lists), one per line."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="staff_mail_list"
    )
    addresses = models.TextField(_("addresses"), blank=True)
    updated_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("staff address list")
        verbose_name_plural = _("staff address lists")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def address_list(self) -> list[str]:
        return [line.strip() for line in self.addresses.splitlines() if line.strip()]


class GuestInvitation(TimeStampedModel):
    """An outside responder (a forensics company, the IT vendor, the insurer's adviser) let into
    one incident: a role, an expiry and a TLP ceiling. The link carries a one-time token; only
    its SHA-256 is kept. Active from acceptance until expiry or revocation, checked at every
    request (issue 17 item 4)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="guest_invitations"
    )
    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        related_name="guest_invitations",
        verbose_name=_("incident"),
    )
    email = models.EmailField(_("email"), max_length=254)
    name = models.CharField(_("name and company"), max_length=200, blank=True)
    role = models.CharField(
        pgettext_lazy("guest", "access"),
        max_length=12,
        choices=enums.GuestRole.choices,
        default=enums.GuestRole.READ,
    )
    expires_at = models.DateTimeField(_("expires at"))
    tlp_ceiling = models.CharField(
        _("TLP ceiling"), max_length=12, choices=Tlp.choices, default=Tlp.AMBER
    )
    token_hash = models.CharField(_("SHA-256 of the link's token"), max_length=64, unique=True)
    invited_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guest = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guest_invitations",
        verbose_name=_("guest account"),
    )

    class Meta:
        verbose_name = _("guest invitation")
        verbose_name_plural = _("guest invitations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["guest", "revoked_at"], name="guest_active")]

    def __str__(self) -> str:
        return self.email
