"""Indicators suggested by the extractor (issue 22 item 1): a person accepts or rejects each."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from common.models import TimeStampedModel
from incidents.models import Incident, Indicator, Report
from incidents.models.enums import IndicatorKind


class SuggestionStatus(models.TextChoices):
    PENDING = "PENDING", _("Waiting for a person")
    ACCEPTED = "ACCEPTED", _("Accepted")
    REJECTED = "REJECTED", _("Rejected")


class SuggestionSource(models.TextChoices):
    TEXT = "TEXT", _("Report text")
    HEADER = "HEADER", _("Mail header")
    BODY = "BODY", _("Mail body")
    ATTACHMENT = "ATTACHMENT", _("Attachment")


class IndicatorSuggestion(TimeStampedModel):
    """A value the extractor found in a report of the incident. Unique per incident and
    normalised value, so extracting again adds nothing; a rejected value is not suggested again
    anywhere in the organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="indicator_suggestions",
        verbose_name=_("incident"),
    )
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=IndicatorKind.choices)
    value = models.CharField(_("value"), max_length=2000)
    digest = models.CharField(_("digest"), max_length=64)
    source = models.CharField(_("found in"), max_length=16, choices=SuggestionSource.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("indicator suggestion")
        verbose_name_plural = _("indicator suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "kind", "digest"], name="suggestion_unique_per_incident"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "kind", "digest"], name="suggestion_match"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"
