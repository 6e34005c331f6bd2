"""Security-tool alert intake: the registered sources and the alerts they sent (issue 21)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from common.models import TimeStampedModel
from incidents.models.intake import Report


class AlertFormat(models.TextChoices):
    GENERIC_JSON = "GENERIC_JSON", _("Generic JSON alert")
    DEFENDER = "DEFENDER", _("Microsoft Defender for Endpoint")
    WAZUH = "WAZUH", _("Wazuh")


class AlertSourceQuerySet(models.QuerySet):
    def enabled(self) -> AlertSourceQuerySet:
        return self.filter(disabled_at__isnull=True)


class AlertSource(TimeStampedModel):
    """A security tool allowed to post signed alerts to its own webhook address."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="alert_sources",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100)
    format = models.CharField(_("alert format"), max_length=16, choices=AlertFormat.choices)
    # The address names the source; the secret (encrypted at rest) proves the sender.
    token = models.CharField(max_length=64, unique=True)
    secret_encrypted = models.TextField()
    replay_window_seconds = models.PositiveIntegerField(_("replay window (seconds)"), default=300)
    repeat_window_seconds = models.PositiveIntegerField(_("repeat window (seconds)"), default=86400)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AlertSourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert source")
        verbose_name_plural = _("alert sources")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="alert_source_name"),
            models.CheckConstraint(
                condition=models.Q(replay_window_seconds__gte=30)
                & models.Q(replay_window_seconds__lte=3600),
                name="alert_source_replay_window",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AlertReceipt(models.Model):
    """One alert of a source and the report it became; its repeats are counted here."""

    source = models.ForeignKey(AlertSource, on_delete=models.CASCADE, related_name="receipts")
    # The tool's alert id, or a digest of the mapped fields when the alert carries none.
    alert_key = models.CharField(max_length=64)
    alert_id = models.CharField(max_length=200, blank=True)
    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, null=True, related_name="alert_receipts"
    )
    payload = models.JSONField(_("original alert"))
    repeat_count = models.PositiveIntegerField(_("times received"), default=1)
    first_seen_at = models.DateTimeField(_("first received at"))
    last_seen_at = models.DateTimeField(_("last received at"))
    # Closed when a repeat arrives after the repeat window: that one files a new report.
    open = models.BooleanField(default=True)

    class Meta:
        constraints = [
            # Repeat dedupe: concurrent posts of one alert wait on this index and count as one.
            models.UniqueConstraint(
                fields=["source", "alert_key"],
                condition=models.Q(open=True),
                name="alert_receipt_open_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.alert_key[:12]}"
