"""Configuration of the alerts, per organisation: channels, subscriptions, quiet hours."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.roles import Role
from common.models import TimeStampedModel
from notifications import crypto
from notifications.enums import EVENT_CHOICES, PERSONAL_KINDS, Audience, ChannelKind


class ChannelQuerySet(models.QuerySet):
    def enabled(self) -> ChannelQuerySet:
        return self.filter(enabled=True)


class Channel(TimeStampedModel):
    """Where alerts go. URL kinds keep their URL and signing secret encrypted (crypto.py)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="alert_channels",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=100)
    url_encrypted = models.TextField(_("URL (encrypted)"), blank=True, editable=False)
    # What may be shown of the URL once stored: scheme, host and the last characters.
    url_hint = models.CharField(_("URL"), max_length=120, blank=True, editable=False)
    secret_encrypted = models.TextField(_("signing secret (encrypted)"), blank=True, editable=False)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert channel")
        verbose_name_plural = _("alert channels")
        ordering = ["organisation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=models.Q(kind__in=sorted(PERSONAL_KINDS)),
                name="channel_one_personal_kind_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def url(self) -> str:
        return crypto.decrypt(self.url_encrypted)

    @property
    def signing_secret(self) -> str:
        return crypto.decrypt(self.secret_encrypted)


class SubscriptionQuerySet(models.QuerySet):
    def matching(self, organisation_id: int, event: str, level: int) -> SubscriptionQuerySet:
        return self.filter(
            organisation_id=organisation_id, event=event, enabled=True, min_level__lte=level
        )


class Subscription(TimeStampedModel):
    """Which people get which event, from which level, over which channels (in order)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="alert_subscriptions",
        verbose_name=_("organisation"),
    )
    event = models.CharField(_("event"), max_length=32, choices=EVENT_CHOICES)
    audience = models.CharField(
        _("audience"), max_length=8, choices=Audience.choices, default=Audience.ROLE
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    min_level = models.PositiveSmallIntegerField(_("from level"), default=1)
    # Channel kinds in order: the first that works is used, unless every_channel.
    channels = models.JSONField(_("channels"), default=list)
    every_channel = models.BooleanField(_("on every channel at once"), default=False)
    needs_ack = models.BooleanField(_("needs acknowledgement"), default=False)
    ack_seconds = models.PositiveIntegerField(
        _("acknowledgement deadline (seconds)"), null=True, blank=True
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        ordering = ["organisation", "event", "min_level", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "event", "audience", "role", "min_level"],
                name="subscription_unique_rule",
            ),
            models.CheckConstraint(
                condition=models.Q(min_level__gte=1, min_level__lte=3),
                name="subscription_level_1_to_3",
            ),
            models.CheckConstraint(
                condition=~models.Q(audience="ROLE") | ~models.Q(role=""),
                name="subscription_role_audience_names_a_role",
            ),
        ]
        indexes = [
            # Routing an event: the organisation's subscriptions to it.
            models.Index(fields=["organisation", "event"], name="subscription_route"),
        ]

    def __str__(self) -> str:
        who = self.get_role_display() if self.audience == Audience.ROLE else self.audience
        return f"{self.event} → {who} (L{self.min_level}+)"


class NotificationPolicy(TimeStampedModel):
    """Quiet hours (organisation's time zone) and how often a growing campaign alerts."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="notification_policy",
        verbose_name=_("organisation"),
    )
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours to"), null=True, blank=True)
    campaign_every = models.PositiveSmallIntegerField(
        _("alert every N reports of a campaign"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("notification policy")
        verbose_name_plural = _("notification policies")

    def __str__(self) -> str:
        return str(self.organisation)
