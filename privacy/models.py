"""Personal and confidential data, the APPI assessment of an incident and its legal clocks.

DOMAIN-MODEL §2.2 (Asset.personal_data_access, DataSet, AppiAssessment, Obligation), §2.3
(ObligationKind), §3.6 (A-0 … A-7), §3.9 (T-1).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.roles import Role
from common.models import TimeStampedModel
from incidents.models import Asset, Incident
from privacy import enums

USER = settings.AUTH_USER_MODEL


class DataSet(TimeStampedModel):
    """One entry of the organisation's inventory of personal and confidential data (顧客台帳,
    健康診断結果 …): what it holds, how many people, which assets host it and which can reach it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="data_sets"
    )
    name = models.CharField(_("name"), max_length=200)
    system = models.CharField(_("system"), max_length=200, blank=True)
    contains_personal_data = models.BooleanField(_("contains personal data"), default=False)
    sensitive_personal_data = models.BooleanField(
        _("sensitive personal data (要配慮個人情報)"), default=False
    )
    financial_damage_risk = models.BooleanField(
        _("risk of financial damage (card numbers, bank credentials)"), default=False
    )
    individuals_count = models.PositiveIntegerField(_("number of individuals"), default=0)
    high_grade_encrypted = models.BooleanField(
        _("encrypted to a high standard (key not compromised)"), default=False
    )
    processing_role = models.CharField(
        _("whose data"),
        max_length=12,
        choices=enums.ProcessingRole.choices,
        default=enums.ProcessingRole.CONTROLLER,
    )
    entrusting_party = models.CharField(_("entrusting party (委託元)"), max_length=200, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=24,
        choices=enums.Confidentiality.choices,
        default=enums.Confidentiality.CONFIDENTIAL,
    )
    data_items = models.CharField(_("data items"), max_length=500, blank=True)
    # The assets the data lives on, and the ones that can reach it (rule A-0: "当該サーバに
    # アクセス権限を有する端末"; Asset.personal_data_access in the domain model).
    hosted_on = models.ManyToManyField(
        Asset, blank=True, related_name="hosted_data_sets", verbose_name=_("hosted on")
    )
    accessible_from = models.ManyToManyField(
        Asset, blank=True, related_name="personal_data_access", verbose_name=_("accessible from")
    )

    class Meta:
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="data_set_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sensitive(self) -> bool:
        """Personal or confidential data (rules L3-a, L3-b)."""
        return self.contains_personal_data or self.confidentiality in (
            enums.Confidentiality.CONFIDENTIAL,
            enums.Confidentiality.STRICTLY_CONFIDENTIAL,
        )


class DataSetLeak(models.Model):
    """A leak fact against a data set (A-1 a, d, e): what happened, when it happened and when
    the organisation learned it, how much and how many people."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="data_leaks")
    data_set = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="leaks")
    kind = models.CharField(_("what happened"), max_length=24, choices=enums.LeakKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    observed_at = models.DateTimeField(_("observed at"))
    volume = models.CharField(_("volume"), max_length=200, blank=True)
    individuals = models.PositiveIntegerField(_("individuals"), null=True, blank=True)
    # A-1 (d): only a credible outside notification starts the clock.
    credible = models.BooleanField(_("credible"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("data leak")
        verbose_name_plural = _("data leaks")
        ordering = ["observed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(occurred_at__lte=models.F("observed_at")),
                name="data_leak_occurs_before_observed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.data_set}: {self.kind}"


class AppiAssessment(TimeStampedModel):
    """The APPI assessment of one incident (rules A-0 … A-6)."""

    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, related_name="appi_assessment"
    )
    screening = models.CharField(
        _("screening"),
        max_length=16,
        choices=enums.Screening.choices,
        default=enums.Screening.NOT_SCREENED,
    )
    screening_reason = models.CharField(_("screening reason"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=enums.AppiStatus.choices,
        default=enums.AppiStatus.NOT_ASSESSED,
    )
    aware_at = models.DateTimeField(_("aware at (知った時点)"), null=True, blank=True)
    aware_trigger = models.CharField(_("what started the clock"), max_length=300, blank=True)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    cause = models.CharField(_("cause"), max_length=20, choices=enums.Cause.choices, blank=True)
    cause_set_by_hand = models.BooleanField(default=False)
    affected_individuals_estimate = models.PositiveIntegerField(
        _("individuals affected (estimate)"), default=0
    )
    data_sets = models.ManyToManyField(DataSet, blank=True, related_name="assessments")
    exemption = models.CharField(
        _("exemption"), max_length=32, choices=enums.Exemption.choices, default="NONE"
    )
    report_form = models.CharField(
        _("report form"),
        max_length=24,
        choices=enums.ReportForm.choices,
        default=enums.ReportForm.PPC_WEB_FORM,
    )
    # the final report's date moved earlier to a day already past.
    warning = models.CharField(_("warning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("APPI assessment")
        verbose_name_plural = _("APPI assessments")

    def __str__(self) -> str:
        return str(self.incident)


class Obligation(TimeStampedModel):
    """A legal, contractual or internal clock of an incident: a report or notice someone owes
    by a date (DOMAIN-MODEL §2.2 Obligation, §2.3 ObligationKind)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="obligations"
    )
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="obligations")
    kind = models.CharField(_("kind"), max_length=24, choices=enums.ObligationKind.choices)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    owner_role = models.CharField(
        _("owner role"), max_length=32, choices=Role.choices, default=Role.LEGAL_PRIVACY
    )
    recommended = models.BooleanField(_("recommended, not required by law"), default=False)
    clock_start = models.DateTimeField(_("clock starts"), null=True, blank=True)
    soft_due_at = models.DateTimeField(_("aim for"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=enums.ObligationStatus.choices,
        default=enums.ObligationStatus.OPEN,
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    reference_no = models.CharField(_("reference number"), max_length=100, blank=True)
    submitted_via = models.CharField(_("submitted via"), max_length=200, blank=True)
    waived_reason = models.CharField(_("why waived"), max_length=1000, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Alerts raised once each (the soft due, the due).
    soft_alerted_at = models.DateTimeField(null=True, blank=True)
    due_alerted_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "kind"], name="obligation_once_per_kind_per_incident"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="WAIVED") | ~models.Q(waived_reason=""),
                name="obligation_waived_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="obligation_open_due"),
            models.Index(fields=["organisation", "owner_role", "status"], name="obligation_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.incident}: {self.get_kind_display()}"

    @property
    def is_appi(self) -> bool:
        return self.kind in enums.APPI_KINDS


class PpcReport(TimeStampedModel):
    """One version of the report to the PPC (速報, then 確報): the items of the PPC's form,
    pre-filled from the record and edited by legal. The app does not submit it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="ppc_reports")
    version = models.CharField(_("version"), max_length=8, choices=enums.ReportVersion.choices)
    items = models.JSONField(_("items"), default=dict)
    edited_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("PPC report")
        verbose_name_plural = _("PPC reports")
        constraints = [
            models.UniqueConstraint(fields=["incident", "version"], name="ppc_report_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.incident}: {self.version}"
