"""Indicators suggested by the extractor (issue 22 item 1): a person accepts or rejects each.
Threat intelligence received from outside (issue 22, DOMAIN-MODEL §2.2): the items and where
the organisation's own records saw them (sightings, found by the retro-hunt)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from common.models import TimeStampedModel
from incidents.models import Event, Incident, Indicator, Report
from incidents.models.enums import IndicatorKind, Tlp


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


class IntelFormat(models.TextChoices):
    STIX = "STIX", _("STIX 2.1 bundle")
    MISP = "MISP", _("MISP event")


class ThreatIntelItem(TimeStampedModel):
    """One observable value of a received indicator (a STIX indicator's pattern comparison, a
    MISP attribute), keyed on the sender's id and value so a re-import finds it again."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    source_format = models.CharField(_("format"), max_length=8, choices=IntelFormat.choices)
    external_id = models.CharField(_("external id"), max_length=200)
    modified = models.DateTimeField(_("modified (by the source)"))
    source = models.CharField(_("source"), max_length=200)
    name = models.CharField(_("name"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=IndicatorKind.choices)
    value = models.CharField(_("value"), max_length=2000)
    normalized = models.CharField(_("normalised value"), max_length=2000)
    digest = models.CharField(_("digest"), max_length=64)
    tlp = models.CharField(_("TLP"), max_length=16, choices=Tlp.choices, default=Tlp.AMBER)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        verbose_name = _("threat intelligence item")
        verbose_name_plural = _("threat intelligence items")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id", "digest"], name="intel_unique_value"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "digest"], name="intel_match")]

    def __str__(self) -> str:
        return f"{self.source}: {self.value}"


class Sighting(TimeStampedModel):
    """The organisation's own records hold an item's value: once per (item, value), with the
    triage item it opened for the ISMS office."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    item = models.ForeignKey(
        ThreatIntelItem,
        on_delete=models.CASCADE,
        related_name="sightings",
        verbose_name=_("threat intelligence item"),
    )
    digest = models.CharField(_("digest"), max_length=64)
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("triage item"),
    )
    mailboxes = models.PositiveIntegerField(_("mailboxes"), default=0)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    # Where it was seen: {"incidents": ["INC-…"], "reports": [id, …], "assets": ["PC-12"]}.
    places = models.JSONField(_("where seen"), default=dict)

    class Meta:
        verbose_name = _("sighting")
        verbose_name_plural = _("sightings")
        constraints = [
            models.UniqueConstraint(fields=["item", "digest"], name="sighting_once_per_value"),
        ]
