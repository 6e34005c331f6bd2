"""Availability, decisions with deadlines and deputies, and the cyber-BCP activation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.roles import DecisionType, Role
from bcp import enums
from common.models import TimeStampedModel
from incidents.models import Incident
from incidents.monthly import Fact, Figured, decision_facts

USER = settings.AUTH_USER_MODEL


class DecisionPolicy(TimeStampedModel):
    """Per-organisation decision deadlines in minutes; missing types use the defaults."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="decision_policy"
    )
    deadlines = models.JSONField(_("deadlines (minutes)"), default=dict, blank=True)
    # Decision type → the roles that may open (and withdraw) it by hand; a missing type falls
    # back to enums.DEFAULT_OPENER_ROLES.
    openers = models.JSONField(_("who may open decisions"), default=dict, blank=True)

    class Meta:
        verbose_name = _("decision policy")
        verbose_name_plural = _("decision policies")

    def __str__(self) -> str:
        return str(self.organisation)


class DecisionQuerySet(models.QuerySet):
    def open(self) -> DecisionQuerySet:
        return self.filter(status=enums.DecisionStatus.OPEN)

    def due(self, now) -> DecisionQuerySet:  # type: ignore[no-untyped-def]
        return self.open().filter(due_at__lte=now, overdue=False)


class Decision(Figured, TimeStampedModel):
    # The statistics rollup (incidents.monthly): decision times and late decisions by type.
    FIGURE_FIELDS = ("organisation_id", "incident_id", "type", "opened_at", "decided_at", "due_at")

    def figure_facts(self, values: dict[str, Any]) -> list[Fact]:
        return decision_facts(self, values)

    def figure_may_count(self, values: dict[str, Any]) -> bool:
        return values["decided_at"] is not None

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="decisions"
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("incident")
    )
    type = models.CharField(_("type"), max_length=32, choices=DecisionType.choices)
    required_role = models.CharField(_("required role"), max_length=32, choices=Role.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=enums.DecisionStatus.choices,
        default=enums.DecisionStatus.OPEN,
    )
    recommendation = models.CharField(
        _("recommendation"),
        max_length=8,
        choices=enums.Recommendation.choices,
        default=enums.Recommendation.NONE,
    )
    recommended_scope = models.CharField(
        _("recommended scope"), max_length=8, choices=enums.Scope.choices, default=enums.Scope.NONE
    )
    target_level = models.PositiveSmallIntegerField(_("target level"), null=True, blank=True)
    reason = models.TextField(_("why it was opened"), blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by_rule = models.CharField(_("opened by rule"), max_length=16, blank=True)
    opened_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    assignee = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_decisions",
        verbose_name=_("assignee"),
    )
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=enums.Outcome.choices, blank=True
    )
    outcome_scope = models.CharField(
        _("scope"), max_length=8, choices=enums.Scope.choices, default=enums.Scope.NONE
    )
    decided_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decider_rank = models.PositiveSmallIntegerField(_("decider's rank"), null=True, blank=True)
    decided_as_delegate = models.BooleanField(_("decided as a delegate"), default=False)
    rationale = models.TextField(_("rationale"), blank=True)
    fact_snapshot = models.JSONField(_("facts when decided"), default=dict, blank=True)
    redecide_by = models.DateTimeField(_("re-decide by"), null=True, blank=True)
    requires_ratification = models.BooleanField(_("requires ratification"), default=False)
    ratified_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ratified by"),
    )
    ratified_at = models.DateTimeField(_("ratified at"), null=True, blank=True)
    # Who ratifies when not a senior holder of the deciding role: a refused APPI report
    # is ratified by the decision maker.
    ratifying_role = models.CharField(
        _("ratified by the role"), max_length=32, choices=Role.choices, blank=True
    )
    withdrawn_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("why it was withdrawn"), blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [
            # The deadline sweep: open decisions whose due time has passed.
            models.Index(fields=["status", "due_at"], name="decision_sweep"),
            # The inbox: open decisions of an organisation by assignee.
            models.Index(fields=["organisation", "status", "assignee"], name="decision_inbox"),
            # D-7: deferred decisions to re-open.
            models.Index(fields=["outcome", "redecide_by"], name="decision_redecide"),
            # The dashboard's decision list: newest first within an organisation (keyset).
            models.Index(fields=["organisation", "-opened_at", "-id"], name="decision_org_opened"),
            # The dashboard's 30-day trend: decisions by the day they were decided (issue 20).
            models.Index(
                fields=["organisation", "decided_at"],
                condition=models.Q(decided_at__isnull=False),
                name="decision_org_decided",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="DECIDED")
                | (~models.Q(outcome="") & ~models.Q(rationale="")),
                name="decision_decided_has_outcome_and_rationale",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="DEFERRED") | models.Q(redecide_by__isnull=False),
                name="decision_deferred_has_redecide_by",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="WITHDRAWN")
                | (models.Q(withdrawn_at__isnull=False) & ~models.Q(withdrawal_reason="")),
                name="decision_withdrawn_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.get_type_display()} ({self.get_status_display()})"


class DecisionAssignment(models.Model):
    """The assignment history of a decision (rule D-2/D-3)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=20, choices=enums.AssignmentReason.choices)
    at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.decision_id} → {self.person_id} ({self.reason})"


class BcpActivation(TimeStampedModel):
    """The incident's cyber-BCP state machine (rules B-1..B-3, D-6)."""

    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, related_name="bcp_activation"
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=enums.BcpState.choices,
        default=enums.BcpState.NOT_ACTIVATED,
    )
    scope_note = models.TextField(_("services stopped"), blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    stood_down_at = models.DateTimeField(_("stood down at"), null=True, blank=True)
    decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("cyber-BCP activation")
        verbose_name_plural = _("cyber-BCP activations")

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.get_state_display()}"


class BcpAction(TimeStampedModel):
    """An execution task of the BCP: who cut what and when, and when it was restored."""

    activation = models.ForeignKey(BcpActivation, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=24, choices=enums.BcpActionKind.choices)
    description = models.CharField(_("description"), max_length=300)
    owner_role = models.CharField(_("owner role"), max_length=32, choices=Role.choices, blank=True)
    decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="bcp_actions"
    )
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    executed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    restored_at = models.DateTimeField(_("restored at"), null=True, blank=True)
    restored_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("BCP action")
        verbose_name_plural = _("BCP actions")

    def __str__(self) -> str:
        return self.description


class BcpPlanService(TimeStampedModel):
    """A service of the organisation that the cyber BCP may stop, with owner and procedure."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="bcp_services"
    )
    name = models.CharField(_("service"), max_length=200)
    owner = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    stops_when = models.CharField(
        _("stops when"),
        max_length=24,
        choices=enums.BcpActionKind.choices,
        default=enums.BcpActionKind.CUT_EXTERNAL_NETWORK,
    )
    workaround = models.TextField(_("workaround while stopped"), blank=True)
    restore_procedure = models.TextField(_("restore procedure"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("BCP plan service")
        verbose_name_plural = _("BCP plan services")
        ordering = ["organisation", "order", "id"]

    def __str__(self) -> str:
        return self.name


class CallTreeEntry(TimeStampedModel):
    """Who calls whom when the BCP is activated (緊急連絡網)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="call_tree"
    )
    caller_role = models.CharField(_("caller role"), max_length=32, choices=Role.choices)
    callee = models.CharField(_("calls"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("call-tree entry")
        verbose_name_plural = _("call-tree entries")
        ordering = ["organisation", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_caller_role_display()} → {self.callee}"
