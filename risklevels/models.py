"""The three-level model: level texts, checklist templates, parameters, and what happened."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.roles import Role
from common.models import TimeStampedModel
from incidents.models import Incident

USER = settings.AUTH_USER_MODEL
SUSPICION = [("SUSPECTED", _("Suspected or confirmed")), ("CONFIRMED", _("Confirmed only"))]


class LevelDefinition(TimeStampedModel):
    """Level 1 隔離, 2 拡散, 3 漏えい as the source document describes them (editable)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="level_definitions"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    name_ja = models.CharField(_("name (Japanese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50)
    happened_ja = models.TextField(_("what happened (Japanese)"))
    happened_en = models.TextField(_("what happened (English)"))
    impact_ja = models.TextField(_("impact (Japanese)"))
    impact_en = models.TextField(_("impact (English)"))
    response_ja = models.TextField(_("response work (Japanese)"))
    response_en = models.TextField(_("response work (English)"))
    workload_ja = models.TextField(_("workload (Japanese)"))
    workload_en = models.TextField(_("workload (English)"))

    class Meta:
        verbose_name = _("level definition")
        verbose_name_plural = _("level definitions")
        ordering = ["organisation", "level"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "level"], name="level_def_unique"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=3), name="level_def_1_to_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.name_ja} / {self.name_en}"


class ChecklistTemplate(TimeStampedModel):
    """One item of a level's response checklist (codes L1-01 … L3-11, or G1-xx generic)."""

    class Track(models.TextChoices):
        MAIL = "MAIL", _("Targeted email, malware, ransomware, unauthorised access")
        GENERIC = "GENERIC", _("Other categories (generic first response)")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="checklist_templates"
    )
    track = models.CharField(_("track"), max_length=8, choices=Track.choices)
    level = models.PositiveSmallIntegerField(_("level"))
    code = models.CharField(_("code"), max_length=16)
    title_ja = models.TextField(_("task (Japanese)"))
    title_en = models.TextField(_("task (English)"))
    owner_role = models.CharField(_("owner role"), max_length=32, choices=Role.choices, blank=True)
    refs = models.CharField(_("references"), max_length=300, blank=True)
    # A target for the task, in minutes after the level's checklist is issued (N-1: alert all
    # staff within 30 minutes); empty = no target.
    target_minutes = models.PositiveIntegerField(_("target (minutes)"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["organisation", "track", "level", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "track", "code"], name="checklist_template_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_ja}"


class EscalationParams(models.Model):
    """Versioned per-organisation parameters (§2.4). A change is a new row, never an edit."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="escalation_params"
    )
    version = models.PositiveIntegerField(_("version"))
    infected_threshold = models.PositiveSmallIntegerField(_("infected PCs for level 2"), default=2)
    trend_rule = models.BooleanField(
        _("trend rule (new infection after an isolation)"), default=True
    )
    external_comm_trigger = models.CharField(
        _("external communication raises to level 2 when"),
        max_length=10,
        choices=SUSPICION,
        default="SUSPECTED",
    )
    leak_trigger = models.CharField(
        _("a leak raises to level 3 when"), max_length=10, choices=SUSPICION, default="SUSPECTED"
    )
    personal_data_store_rule = models.BooleanField(
        _("a compromised server with personal data means level 3"), default=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("escalation parameters")
        verbose_name_plural = _("escalation parameters")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="escalation_params_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} v{self.version}"

    def clean(self) -> None:
        if not 1 <= self.infected_threshold <= 1000:
            raise ValidationError({"infected_threshold": _("Between 1 and 1000.")})


class FiredRule(models.Model):
    """A rule that fired for an incident: first and last time, and the parameter version."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="fired_rules")
    rule_id = models.CharField(max_length=8)
    target = models.PositiveSmallIntegerField()
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    params_version = models.PositiveIntegerField()
    detail = models.JSONField(default=dict)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["first_at", "rule_id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "rule_id"], name="fired_rule_once"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.rule_id}"


class LevelChange(models.Model):
    """Every change of an incident's level, with the decision and the facts behind it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="level_changes")
    from_level = models.PositiveSmallIntegerField()
    to_level = models.PositiveSmallIntegerField()
    decision = models.ForeignKey(
        "bcp.Decision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fired_rules = models.JSONField(default=list)
    fact_snapshot = models.JSONField(default=dict)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.from_level} → {self.to_level}"


class ChecklistIssue(models.Model):
    """A level's checklist was created for an incident; never twice (re-entry)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "level"], name="checklist_issued_once"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: L{self.level}"


class TrendPoint(models.Model):
    """The infection trend: counts after each change (the dashboard chart and rule L2-b)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="trend")
    at = models.DateTimeField()
    effective = models.PositiveIntegerField()
    confirmed = models.PositiveIntegerField()
    isolated = models.PositiveIntegerField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # The trend endpoint: one incident's series in time order.
            models.Index(fields=["incident", "at"], name="trend_series"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} @ {self.at}: {self.effective}/{self.isolated}"
