from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models import enums
from incidents.models.incident import Incident


def evidence_path(instance: EvidenceItem, filename: str) -> str:
    """A server-generated name: the uploader's file name never reaches the file system."""
    return f"evidence/{instance.incident_id}/{uuid.uuid4().hex}"


class EvidenceItem(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("incident")
    )
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=enums.EvidenceKind.choices,
        default=enums.EvidenceKind.OTHER,
    )
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("declared content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("collected by"),
    )
    collected_at = models.DateTimeField(_("collected at"))

    class Meta:
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]}…)"


class CustodyEvent(models.Model):
    """Chain of custody: who had the evidence, where, and when (A.5.28)."""

    evidence = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, related_name="custody", verbose_name=_("evidence")
    )
    action = models.CharField(_("action"), max_length=12, choices=enums.CustodyAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    holder = models.CharField(_("holder"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} @ {timezone.localtime(self.at):%Y/%m/%d %H:%M}"
