"""The offline emergency kit: one numbered version per change of what it prints."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation


class EmergencyKitQuerySet(models.QuerySet):
    def of(self, organisation_id: int) -> EmergencyKitQuerySet:
        return self.filter(organisation_id=organisation_id)


class EmergencyKit(models.Model):
    """What the kit printed at one version: the roster, the plan, the checklists and the
    contacts as they were (``content``), and whether the office printed this version."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    version = models.PositiveIntegerField(_("version"))
    fingerprint = models.CharField(_("SHA-256 of the content"), max_length=64)
    content = models.JSONField(_("content"), default=dict)
    reason = models.CharField(_("why it was made"), max_length=20)
    created_at = models.DateTimeField(_("made at"))
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("printed by"),
    )

    objects = EmergencyKitQuerySet.as_manager()

    class Meta:
        verbose_name = _("emergency kit")
        verbose_name_plural = _("emergency kits")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="emergency_kit_one_row_per_version"
            ),
        ]
        # The latest version of an organisation's kit (the kit page, the regeneration).
        ordering = ["organisation", "-version"]

    def __str__(self) -> str:
        return f"{self.organisation_id} v{self.version}"
