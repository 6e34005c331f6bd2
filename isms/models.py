"""The post-incident review, corrective actions and the Annex A catalogue they refer to.

DOMAIN-MODEL §2.2 PostIncidentReview; §3.8 C-1 (review), M-1 (management review input,
corrective action or a reason for none), M-2 (Annex A controls and a risk-register reference).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from common.models import TimeStampedModel
from incidents.models import Incident
from isms import enums

USER = settings.AUTH_USER_MODEL


class AnnexAControl(models.Model):
    """One control of ISO/IEC 27001:2022 Annex A (seeded by migration, never edited here)."""

    id = models.CharField(_("control"), max_length=8, primary_key=True)  # "5.24", "8.7"
    theme = models.CharField(_("theme"), max_length=1, choices=enums.ControlTheme.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    title_ja = models.CharField(_("title (Japanese)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=120)

    class Meta:
        verbose_name = _("Annex A control")
        verbose_name_plural = _("Annex A controls")
        ordering = ["theme", "number"]

    def __str__(self) -> str:
        return f"A.{self.id} {self.title}"

    @property
    def title(self) -> str:
        return self.title_ja if (get_language() or "ja").startswith("ja") else self.title_en


class PostIncidentReview(TimeStampedModel):
    """What the incident taught (A.5.27): one per incident, written before it closes."""

    incident = models.OneToOneField(
        Incident, on_delete=models.PROTECT, related_name="review", verbose_name=_("incident")
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    what_worked = models.TextField(_("what worked"), blank=True)
    what_did_not = models.TextField(_("what did not work"), blank=True)
    lessons = models.JSONField(_("lessons"), default=list, blank=True)
    # An explicit statement that the incident taught nothing new (C-1 accepts it for lessons).
    no_lessons = models.TextField(_("why there are no lessons"), blank=True)
    controls_affected = models.ManyToManyField(
        AnnexAControl, blank=True, related_name="+", verbose_name=_("Annex A controls affected")
    )
    # M-1: why no corrective action is needed, when the incident goes to the management review.
    no_action_reason = models.TextField(_("why no corrective action is needed"), blank=True)
    # M-1, set when the incident closes: it goes to the management review (cl. 9.3).
    management_review_input = models.BooleanField(
        _("input to the management review"), default=False
    )
    written_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("post-incident review")
        verbose_name_plural = _("post-incident reviews")
        indexes = [
            # The management review pack: reviews marked for it.
            models.Index(fields=["management_review_input"], name="review_mr_input"),
        ]

    def __str__(self) -> str:
        return str(self.incident)

    @property
    def complete(self) -> bool:
        """C-1: a root cause, and at least one lesson or an explicit "no lessons"."""
        has_lessons = any(str(item).strip() for item in self.lessons or [])
        return bool(self.root_cause.strip()) and (has_lessons or bool(self.no_lessons.strip()))


class CorrectiveActionQuerySet(models.QuerySet):
    def open(self) -> CorrectiveActionQuerySet:
        return self.filter(status=enums.ActionStatus.OPEN)

    def overdue(self, today: date) -> CorrectiveActionQuerySet:
        return self.open().filter(due_on__lt=today)

    def counting(self) -> CorrectiveActionQuerySet:
        """What M-1 counts: an action that was not cancelled."""
        return self.exclude(status=enums.ActionStatus.CANCELLED)


class CorrectiveAction(TimeStampedModel):
    """A corrective action (ISO/IEC 27001 cl. 10.2) born of an incident (M-2)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="corrective_actions"
    )
    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        related_name="corrective_actions",
        verbose_name=_("incident"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_actions",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=enums.ActionStatus.choices,
        default=enums.ActionStatus.OPEN,
    )
    status_reason = models.TextField(_("why it was cancelled"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    controls = models.ManyToManyField(
        AnnexAControl, related_name="corrective_actions", verbose_name=_("Annex A controls")
    )
    risk_reference = models.CharField(_("risk register entry"), max_length=300)
    risk_url = models.URLField(_("risk register link"), blank=True)
    # The due date the last reminder was sent for (one reminder per due date and state).
    reminded_for = models.DateField(null=True, blank=True)
    reminded_overdue = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CorrectiveActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        indexes = [
            # The list page and the reminder sweep: open actions of an organisation by due date.
            models.Index(fields=["organisation", "status", "due_on"], name="action_org_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="CANCELLED") | ~models.Q(status_reason=""),
                name="action_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title
