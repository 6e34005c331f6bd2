from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from common.models import TimeStampedModel
from incidents.models import enums
from incidents.models.incident import Incident


class Indicator(TimeStampedModel):
    """An indicator of compromise; its normalised value is what campaign grouping matches."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("incident")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=enums.IndicatorKind.choices)
    value = models.CharField(_("value"), max_length=2000)
    normalized = models.CharField(_("normalised value"), max_length=2000)
    # SHA-256 of the normalised value: a fixed-width key that any value fits in an index.
    digest = models.CharField(_("digest"), max_length=64)
    tlp = models.CharField(
        _("TLP"), max_length=16, choices=enums.Tlp.choices, default=enums.Tlp.AMBER_STRICT
    )
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    blocked_at = models.DateTimeField(_("blocked at"), null=True, blank=True)
    blocked_by = models.CharField(
        _("blocked at (where)"), max_length=16, choices=enums.BlockPoint.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "kind", "digest"], name="indicator_unique_per_incident"
            ),
        ]
        indexes = [
            # Campaign grouping: "is there an open incident with this sender / URL / hash?"
            models.Index(fields=["organisation", "kind", "digest"], name="ind_match"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"
