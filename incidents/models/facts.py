from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models.assets import Asset
from incidents.models.incident import Incident


class FactKind(models.TextChoices):
    ASSET_INFECTION = "ASSET_INFECTION", _("Asset infection state")
    ASSET_CONTAINMENT = "ASSET_CONTAINMENT", _("Asset isolation")
    ASSET_REMEDIATION = "ASSET_REMEDIATION", _("Asset remediation")
    MAIL_EXECUTED = "MAIL_EXECUTED", _("Attachment executed")
    EXTERNAL_COMM = "EXTERNAL_COMM", _("External communication")
    LEAK = "LEAK", _("Data leak")


class Fact(models.Model):
    """What became known about an incident: when it happened and when the organisation learned
    it. Rules, deadlines and reports use ``observed_at``; ``occurred_at`` may be days earlier."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="facts", verbose_name=_("incident")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FactKind.choices)
    asset = models.ForeignKey(
        Asset,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asset"),
    )
    data = models.JSONField(_("data"), default=dict)
    occurred_at = models.DateTimeField(_("occurred at"))
    observed_at = models.DateTimeField(_("observed at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        indexes = [
            # The evaluator's leak facts and the infection-trend series of one incident.
            models.Index(fields=["incident", "kind", "observed_at"], name="fact_by_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(occurred_at__lte=models.F("observed_at")),
                name="fact_occurs_before_it_is_observed",
            ),
        ]

    def __str__(self) -> str:
        observed = timezone.localtime(self.observed_at)
        return f"{self.incident_id}: {self.kind} @ {observed:%Y/%m/%d %H:%M}"
