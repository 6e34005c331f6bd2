"""The CSIRT-function map: the 17 functions (seeded), how each organisation delivers them,
and every change to that map (for the management review)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from common.models import TimeStampedModel
from training.enums import DeliveryMode, FunctionGroup


class CsirtFunction(models.Model):
    """One of the source document's 17 CSIRT functions (reference data, seeded)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    group = models.CharField(_("group"), max_length=10, choices=FunctionGroup.choices)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    first_service = models.TextField(_("FIRST CSIRT Services Framework v2.1"))
    iso_controls = models.CharField(_("ISO/IEC 27001:2022"), max_length=100)
    isms_alpha = models.CharField(_("ISMS / +α"), max_length=200)
    sme_delivery = models.CharField(_("typical SME delivery"), max_length=200)
    default_step = models.PositiveSmallIntegerField(_("default STEP"), null=True, blank=True)
    step_note = models.CharField(_("STEP in the source"), max_length=20)
    default_mode = models.CharField(
        _("default delivery"), max_length=24, choices=DeliveryMode.choices
    )

    class Meta:
        verbose_name = _("CSIRT function")
        verbose_name_plural = _("CSIRT functions")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name_ja}"

    @property
    def name(self) -> str:
        """The name in the reader's language (docs/glossary.md: no English on a Japanese page)."""
        return self.name_ja if (get_language() or "ja").startswith("ja") else self.name_en


class CsirtFunctionDelivery(TimeStampedModel):
    """How an organisation delivers one function, and in which STEP it belongs."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="csirt_functions"
    )
    function = models.ForeignKey(CsirtFunction, on_delete=models.PROTECT, related_name="deliveries")
    mode = models.CharField(_("delivered"), max_length=24, choices=DeliveryMode.choices)
    provider = models.CharField(_("outsourced to"), max_length=200, blank=True)
    step = models.PositiveSmallIntegerField(_("STEP"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    assessed = models.BooleanField(_("assessed"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("CSIRT function delivery")
        verbose_name_plural = _("CSIRT function deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "function"], name="csirt_delivery_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(mode="PLUS_ALPHA_OUTSOURCED") | ~models.Q(provider=""),
                name="csirt_outsourced_names_provider",
            ),
            models.CheckConstraint(
                condition=models.Q(step__isnull=True) | models.Q(step__gte=1, step__lte=3),
                name="csirt_step_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.function_id} {self.mode}"


class CsirtMapChange(models.Model):
    """One change to the map or to the organisation's STEP, as it happened."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    function = models.ForeignKey(
        CsirtFunction, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    field = models.CharField(_("what"), max_length=20)
    before = models.CharField(_("before"), max_length=200, blank=True)
    after = models.CharField(_("after"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("CSIRT map change")
        verbose_name_plural = _("CSIRT map changes")
        indexes = [
            # The review pack: an organisation's changes in a period.
            models.Index(fields=["organisation", "at"], name="csirt_change_period"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.field}: {self.before} → {self.after}"
