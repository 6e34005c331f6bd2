from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from common.models import TimeStampedModel
from incidents.models import enums
from incidents.monthly import Fact, Figured, incident_facts


class IncidentQuerySet(models.QuerySet):
    def open(self) -> IncidentQuerySet:
        return self.exclude(status=enums.IncidentStatus.CLOSED)


class Incident(Figured, TimeStampedModel):
    # The statistics rollup (incidents.monthly): incidents by month, category and peak level,
    # and the time to resolve.
    FIGURE_FIELDS = (
        "organisation_id",
        "category",
        "peak_level",
        "declared_at",
        "closed_at",
        "is_exercise",
    )

    def figure_facts(self, values: dict[str, Any]) -> list[Fact]:
        return incident_facts(values)

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("organisation"),
    )
    ref = models.CharField(_("reference"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("sequence number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=32, choices=enums.Category.choices)
    attack_vector = models.CharField(
        _("attack vector"),
        max_length=20,
        choices=enums.AttackVector.choices,
        default=enums.AttackVector.OTHER,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=enums.IncidentStatus.choices,
        default=enums.IncidentStatus.DECLARED,
    )
    # The level changes only through a decision (rule L-0); the escalation engine owns that.
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    recommended_level = models.PositiveSmallIntegerField(_("recommended level"), default=1)
    peak_level = models.PositiveSmallIntegerField(_("peak level"), default=1)
    priority = models.CharField(
        _("priority"), max_length=2, choices=enums.Priority.choices, default=enums.Priority.P3
    )
    priority_reason = models.CharField(_("priority reason"), max_length=300, blank=True)
    tlp = models.CharField(
        _("TLP"), max_length=16, choices=enums.Tlp.choices, default=enums.Tlp.AMBER_STRICT
    )
    functional_impact = models.CharField(
        _("functional impact"),
        max_length=8,
        choices=enums.Impact.choices,
        default=enums.Impact.NONE,
    )
    information_impact = models.JSONField(_("information impact"), default=list, blank=True)
    recoverability = models.CharField(
        _("recoverability"), max_length=16, choices=enums.Recoverability.choices, blank=True
    )
    determination = models.CharField(
        _("determination"),
        max_length=20,
        choices=enums.Determination.choices,
        default=enums.Determination.SUSPECTED,
    )
    external_comm_status = models.CharField(
        _("external communication"),
        max_length=10,
        choices=enums.Suspicion.choices,
        default=enums.Suspicion.NONE,
    )
    leak_status = models.CharField(
        _("leak"), max_length=10, choices=enums.Suspicion.choices, default=enums.Suspicion.NONE
    )
    csirt_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_incidents",
        verbose_name=_("CSIRT lead"),
    )
    # 担当者: the person who carries the case day to day (the CSIRT lead answers for it).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_incidents",
        verbose_name=_("owner"),
    )
    handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="handled_incidents",
        verbose_name=_("handlers"),
    )
    declared_at = models.DateTimeField(_("declared at"))
    contained_at = models.DateTimeField(_("contained at"), null=True, blank=True)
    eradicated_at = models.DateTimeField(_("eradicated at"), null=True, blank=True)
    recovered_at = models.DateTimeField(_("recovered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    irt_established_at = models.DateTimeField(_("IRT established at"), null=True, blank=True)
    recurrence_prevention = models.TextField(_("recurrence prevention"), blank=True)
    # 訓練: an incident of a drill-mode exercise (training app); real statistics exclude it.
    is_exercise = models.BooleanField(_("exercise"), default=False, db_index=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            # Real incidents and exercise incidents number apart (INC-… and EX-…, issue 18).
            models.UniqueConstraint(
                fields=["organisation", "is_exercise", "year", "seq"],
                name="incident_unique_seq_per_year",
            ),
            # References are per organisation (each numbers its own year); lookups by ref are
            # always scoped to the user's organisation.
            models.UniqueConstraint(fields=["organisation", "ref"], name="incident_unique_ref"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=3), name="incident_level_1_to_3"
            ),
        ]
        indexes = [
            # The incident list: newest first within an organisation (keyset pagination).
            models.Index(fields=["organisation", "-declared_at", "-id"], name="inc_org_declared"),
            # The list filtered by status (open incidents, dashboard tiles), newest first.
            models.Index(
                fields=["organisation", "status", "-declared_at", "-id"],
                name="inc_org_status_declared",
            ),
            # The list filtered by level.
            models.Index(
                fields=["organisation", "level", "-declared_at", "-id"],
                name="inc_org_level_declared",
            ),
            # The list filtered by category and priority.
            models.Index(
                fields=["organisation", "category", "-declared_at", "-id"],
                name="inc_org_category_declared",
            ),
            models.Index(
                fields=["organisation", "priority", "-declared_at", "-id"],
                name="inc_org_priority_declared",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def priority_reason_text(self) -> str:
        """Why this priority, in the current language (the reason is stored as codes)."""
        from incidents.triage import reason_text

        return reason_text(self.priority_reason)


class IncidentCounter(models.Model):
    """Last issued sequence per organisation, year and series: INC-YYYY-NNNN and
    R-YYYY-NNNNNN stay gap-free; an exercise's incidents (EX-YYYY-NNNN) and reports
    (EX-R-YYYY-NNNN) count on rows of their own (``exercise``), so a drill never takes a real
    number (issue 18)."""

    INCIDENT, REPORT = "incident", "report"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    exercise = models.BooleanField(default=False)
    series = models.CharField(
        max_length=8, choices=[(INCIDENT, INCIDENT), (REPORT, REPORT)], default=INCIDENT
    )
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "exercise", "series"],
                name="counter_unique_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.series}/{self.year}: {self.last}"
