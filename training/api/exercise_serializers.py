"""Serializers of the exercise API: start, drive the clock, post facts and decisions, state,
and the after-action report."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.roles import DecisionType
from bcp.api.serializers import DecisionDetailSerializer
from bcp.enums import Outcome, Recommendation, Scope
from bcp.models import Decision
from common.columns import NOTHING, ends_in
from common.timestamps import MomentField
from comms.enums import Audience, Channel
from incidents.api.serializers import PersonSerializer, TaskSerializer
from incidents.models import enums as e
from privacy.enums import LeakKind, ObligationKind
from training import scenario
from training.enums import ClockMode, InjectKind
from training.models import Exercise, ExerciseInject
from training.templatetags.training_ui import offset_from

FACT_STATUS = [("SUSPECTED", _("Suspected")), ("CONFIRMED", _("Confirmed"))]
INJECT_STATUS = [
    *FACT_STATUS,
    ("DONE", _("Done")),
    ("WAIVED", _("Waived")),
    ("DRAFT", _("Draft")),
    ("APPROVED", _("Approved")),
    ("SENT", _("Sent")),
]


class ExerciseSerializer(serializers.ModelSerializer):
    started_by = PersonSerializer(read_only=True)
    now = serializers.SerializerMethodField(help_text=_("Exercise time now"))

    class Meta:
        model = Exercise
        fields = [
            "id",
            "title",
            "status",
            "mode",
            "speed",
            "starts_at",
            "now",
            "processed_to",
            "finished_at",
            "findings",
            "started_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_now(self, exercise: Exercise) -> str:
        return serializers.DateTimeField().to_representation(exercise.now())


class ExerciseStartSerializer(serializers.Serializer):
    stores = ends_in(Exercise, nowhere=("sample",))

    sample = serializers.ChoiceField(
        choices=[],
        required=False,
        help_text=_("A shipped sample scenario; or give the scenario itself."),
    )
    scenario = serializers.JSONField(
        required=False, help_text=_("The scenario document (see training/scenario.py).")
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    mode = serializers.ChoiceField(choices=ClockMode.choices, default=ClockMode.REAL_TIME)
    speed = serializers.FloatField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("ACCELERATED only: how many times as fast as the wall clock (default 60)."),
    )
    starts_at = MomentField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Exercise time at the start (default: now)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sample"].choices = sorted(scenario.samples())

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("sample")) == bool(attrs.get("scenario")):
            raise serializers.ValidationError(
                {"scenario": _("Give either a sample or a scenario.")}, code="required"
            )
        if attrs.get("sample"):
            attrs["scenario"] = scenario.samples()[attrs.pop("sample")]
        return attrs


class ExerciseAdvanceSerializer(serializers.Serializer):
    stores = NOTHING

    to = MomentField(
        required=False, allow_null=True, default=None, help_text=_("Exercise time to move to.")
    )
    minutes = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=7 * 24 * 60,
        help_text=_("Or: minutes to move forward from where the exercise is."),
    )


def _offset(help_text: Any) -> serializers.CharField:
    return serializers.CharField(max_length=10, required=False, help_text=help_text)


def _text(max_length: int, help_text: Any = "") -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, help_text=help_text)


class ExerciseInjectSerializer(serializers.Serializer):
    """An inject as of exercise time now; which fields it needs depends on the kind (the
    scenario schema's ``$defs/inject``, docs/training.md)."""

    stores = ends_in(
        ExerciseInject,
        reporter="incidents.Report.reporter_name",
        what_happened="incidents.Report.what_happened",
        state="incidents.AffectedAsset.infection_state",
        via="incidents.AffectedAsset.infection_via",
        capability="incidents.AffectedAsset.malware_capability",
        method="incidents.AffectedAsset.isolation_method",
        recipient="incidents.MailDelivery.recipient_name",
        blocked_by="incidents.Indicator.blocked_by",
        ioc_kind="incidents.Indicator.kind",
        type="bcp.Decision.type",
        outcome="bcp.Decision.outcome",
        scope="bcp.Decision.outcome_scope",
        target_level="bcp.Decision.target_level",
        recommendation="bcp.Decision.recommendation",
        to="incidents.Incident.status",
        code="incidents.Task.code",
        audience="comms.Communication.audience",
        channel="comms.Communication.channel",
        subject="comms.Communication.subject",
        obligation_kind="privacy.Obligation.kind",
        leak_kind="privacy.DataSetLeak.kind",
        # Looked up, made the exercise's own (drill domains, EX<id>- tags), cut by the
        # service, or an offset from the start.
        # status is a choice each kind's service checks against its own column (the fact
        # statuses, a task's DONE/WAIVED, a message's DRAFT/APPROVED/SENT).
        nowhere=(
            "status",
            "asset",
            "c2",
            "observed",
            "occurred",
            "last",
            "bytes",
            "blocked",
            "incident",
            "caused_by",
            "by",
            "data_set",
            "individuals",
            "delivered",
            "reported",
            "executed",
            "deleted",
            "value",
            "reason",
            "rationale",
            "note",
            "body",
            "reference",
            "action",
            "due",
            "reference_no",
        ),
    )

    kind = serializers.ChoiceField(choices=InjectKind.choices)
    text = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    incident = _text(40, _("Which of the exercise's incidents (its key); default the first"))
    by = _text(150, _("Act as this role's primary holder or this user (facilitator only)"))
    reporter = serializers.CharField(max_length=100, required=False)
    what_happened = serializers.ChoiceField(choices=e.WhatHappened.choices, required=False)
    caused_by = _text(40, _("report: the new incident was caused by this incident (its key)"))
    asset = serializers.CharField(max_length=50, required=False)
    cable_pulled = serializers.BooleanField(required=False)
    state = serializers.ChoiceField(choices=e.InfectionState.choices, required=False)
    via = serializers.ChoiceField(choices=e.InfectionVia.choices, required=False)
    capability = serializers.ChoiceField(choices=e.MalwareCapability.choices, required=False)
    method = serializers.ChoiceField(choices=e.IsolationMethod.choices, required=False)
    status = serializers.ChoiceField(choices=INJECT_STATUS, required=False)
    to_c2 = serializers.BooleanField(required=False)
    c2 = serializers.CharField(max_length=100, required=False)
    last = _offset(_("external_comm: the last connection, as an offset from the start"))
    bytes = serializers.IntegerField(required=False, min_value=0, max_value=2_000_000_000)
    blocked = serializers.BooleanField(required=False)
    personal_data = serializers.BooleanField(required=False)
    data_set = _text(200, _("leak: the name of a data set of the inventory"))
    leak_kind = serializers.ChoiceField(choices=LeakKind.choices, required=False)
    individuals = serializers.IntegerField(required=False, min_value=0, max_value=2_000_000_000)
    observed = _offset(_("When it was learned, as an offset from the start (+1:20), if before now"))
    occurred = _offset(_("When it happened, as an offset from the start, if before observed"))
    recipient = _text(200, _("delivery: the recipient's name"))
    delivered = _offset(_("delivery: delivered at (offset)"))
    reported = _offset(_("delivery: reported at (offset)"))
    executed = serializers.BooleanField(required=False)
    deleted = _offset(_("delivery: deleted at (offset)"))
    ioc_kind = serializers.ChoiceField(choices=e.IndicatorKind.choices, required=False)
    value = _text(2000, _("indicator/block: the indicator as the scenario names it"))
    blocked_by = serializers.ChoiceField(choices=e.BlockPoint.choices, required=False)
    type = serializers.ChoiceField(choices=DecisionType.choices, required=False)
    target_level = serializers.IntegerField(required=False, min_value=1, max_value=3)
    recommendation = serializers.ChoiceField(choices=Recommendation.choices, required=False)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)
    rationale = _text(4000)
    scope = serializers.ChoiceField(choices=Scope.choices, required=False)
    reason = _text(2000)
    to = serializers.ChoiceField(choices=e.IncidentStatus.choices, required=False)
    code = _text(16, _("task: the task's code (L1-03 …)"))
    note = _text(2000)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    subject = _text(300)
    body = _text(4000)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    reference = _text(500)
    obligation_kind = serializers.ChoiceField(choices=ObligationKind.choices, required=False)
    action = serializers.ChoiceField(
        choices=[("add", "add"), ("done", "done"), ("waive", "waive")], required=False
    )
    due = _offset(_("obligation: due at (offset)"))
    reference_no = _text(100)


class ExerciseDecideSerializer(serializers.Serializer):
    stores = ends_in(Decision, scope="bcp.Decision.outcome_scope", nowhere=("decision",))

    decision = serializers.IntegerField(help_text=_("The decision's id (from the state)."))
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    rationale = serializers.CharField(allow_blank=True, required=False, default="", max_length=4000)
    scope = serializers.ChoiceField(
        choices=Scope.choices, required=False, allow_null=True, default=None
    )
    redecide_by = MomentField(required=False, allow_null=True, default=None)


class ExerciseFinishSerializer(serializers.Serializer):
    stores = ends_in(Exercise)

    findings = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)


class ExerciseInjectRowSerializer(serializers.ModelSerializer):
    offset = serializers.SerializerMethodField()

    class Meta:
        model = ExerciseInject
        fields = ["seq", "at", "offset", "kind", "text", "payload", "applied_at", "result", "error"]
        read_only_fields = fields

    def get_offset(self, inject: ExerciseInject) -> str:
        return offset_from(inject.at, inject.exercise.starts_at)


class ExerciseIncidentSerializer(serializers.Serializer):
    stores = NOTHING

    ref = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    level = serializers.IntegerField()
    recommended_level = serializers.IntegerField()
    external_comm_status = serializers.CharField()
    leak_status = serializers.CharField()


class ExerciseStateSerializer(serializers.Serializer):
    stores = NOTHING

    exercise = ExerciseSerializer()
    incidents = ExerciseIncidentSerializer(many=True)
    decisions = DecisionDetailSerializer(many=True)
    tasks = TaskSerializer(many=True)
    injects = ExerciseInjectRowSerializer(many=True)


class ExerciseDecisionRowSerializer(serializers.Serializer):
    stores = NOTHING

    type = serializers.CharField()
    type_label = serializers.CharField(help_text=_("The decision's name in the reader's language"))
    expected = serializers.JSONField()
    decision = serializers.IntegerField(allow_null=True)
    incident = serializers.CharField(allow_null=True, help_text=_("The incident's reference"))
    opened_at = serializers.DateTimeField(allow_null=True)
    first_due_at = serializers.DateTimeField(
        allow_null=True, help_text=_("The deadline in exercise time (from when it opened)")
    )
    assignee = PersonSerializer(allow_null=True)
    decided_by = PersonSerializer(allow_null=True)
    decider_rank = serializers.IntegerField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)
    outcome_label = serializers.CharField(
        allow_blank=True, help_text=_("The outcome, or the status if undecided, in words")
    )
    decided_at = serializers.DateTimeField(allow_null=True)
    minutes_taken = serializers.FloatField(allow_null=True)
    target_minutes = serializers.FloatField(
        allow_null=True, help_text=_("The scenario's target (within), else the deadline")
    )
    met_target = serializers.BooleanField(allow_null=True)
    minutes_late = serializers.FloatField(allow_null=True)
    on_time = serializers.BooleanField(allow_null=True)
    overdue = serializers.BooleanField(
        help_text=_("The chain of deputies ran out before it was decided (it may be decided later)")
    )
    deadline_state = serializers.ChoiceField(
        choices=["ON_TIME", "LATE", "OVERDUE", "OPEN", ""],
        help_text=_(
            "Against the exercise-time deadline: decided on time, decided late, past it "
            "and not decided, not decided yet; blank if never opened"
        ),
    )
    deadline_label = serializers.CharField(
        help_text=_("The same in words, in the reader's language")
    )
    reassigned_to = PersonSerializer(many=True)
    alerts = serializers.IntegerField()
    alerts_acknowledged = serializers.IntegerField()


class ExerciseObligationRowSerializer(serializers.Serializer):
    stores = NOTHING

    kind = serializers.CharField()
    kind_label = serializers.CharField()
    expected = serializers.JSONField()
    obligation = serializers.IntegerField(allow_null=True)
    incident = serializers.CharField(allow_null=True)
    clock_start = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField(allow_blank=True)
    status_label = serializers.CharField(allow_blank=True)
    minutes_taken = serializers.FloatField(allow_null=True)
    target_minutes = serializers.FloatField(allow_null=True)
    met_target = serializers.BooleanField(allow_null=True)
    matched_status = serializers.BooleanField(allow_null=True)


class ExerciseAlertSummarySerializer(serializers.Serializer):
    stores = NOTHING

    total = serializers.IntegerField()
    needing_ack = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    unacknowledged = serializers.IntegerField()


class AfterActionReportSerializer(serializers.Serializer):
    stores = NOTHING

    exercise = ExerciseSerializer()
    incidents = ExerciseIncidentSerializer(many=True)
    expected_decisions = ExerciseDecisionRowSerializer(many=True)
    other_decisions = ExerciseDecisionRowSerializer(many=True)
    expected_obligations = ExerciseObligationRowSerializer(many=True)
    decided = serializers.IntegerField()
    decided_on_time = serializers.IntegerField()
    tasks_total = serializers.IntegerField()
    tasks_done = serializers.IntegerField()
    alerts = ExerciseAlertSummarySerializer()
    injects = ExerciseInjectRowSerializer(many=True)


class ScenarioSampleSerializer(serializers.Serializer):
    stores = NOTHING

    name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    injects = serializers.IntegerField()
    expected_decisions = serializers.ListField(child=serializers.CharField())


def _minutes(delta: Any) -> float | None:
    return round(delta.total_seconds() / 60, 1) if delta is not None else None


def decision_row(row: Any) -> dict[str, Any]:
    decision = row.decision
    alerts = row.alerts
    kind = row.expected.get("type", decision.type if decision else "")
    label = ""
    if decision is not None:
        label = (
            decision.get_outcome_display() if decision.outcome else decision.get_status_display()
        )
    return {
        "type": kind,
        "type_label": str(dict(DecisionType.choices).get(kind, kind)),
        "expected": row.expected,
        "decision": decision.pk if decision else None,
        "incident": decision.incident.ref if decision else None,
        "opened_at": decision.opened_at if decision else None,
        "first_due_at": row.first_due_at,
        "assignee": decision.assignee if decision else None,
        "decided_by": decision.decided_by if decision else None,
        "decider_rank": decision.decider_rank if decision else None,
        "outcome": decision.outcome if decision else "",
        "outcome_label": str(label),
        "decided_at": decision.decided_at if decision else None,
        "minutes_taken": _minutes(row.took),
        "target_minutes": _minutes(row.target),
        "met_target": row.met_target,
        "minutes_late": _minutes(row.late_by),
        "on_time": row.on_time,
        "overdue": bool(decision and decision.overdue),
        "deadline_state": row.deadline_state,
        "deadline_label": row.deadline_text,
        "reassigned_to": [a.person for a in row.reassignments if a.person is not None],
        "alerts": len(alerts),
        "alerts_acknowledged": sum(1 for a in alerts if a.acknowledged_at is not None),
    }


def obligation_row(row: Any) -> dict[str, Any]:
    ob = row.obligation
    kind = row.expected.get("kind", "")
    return {
        "kind": kind,
        "kind_label": str(dict(ObligationKind.choices).get(kind, kind)),
        "expected": row.expected,
        "obligation": ob.pk if ob else None,
        "incident": ob.incident.ref if ob else None,
        "clock_start": ob.clock_start if ob else None,
        "due_at": ob.due_at if ob else None,
        "done_at": ob.done_at if ob else None,
        "status": ob.status if ob else "",
        "status_label": str(ob.get_status_display()) if ob else "",
        "minutes_taken": _minutes(row.took),
        "target_minutes": _minutes(row.target),
        "met_target": row.met_target,
        "matched_status": row.matched_status,
    }


def after_action_data(report: Any) -> dict[str, Any]:
    return {
        "exercise": report.exercise,
        "incidents": report.incidents,
        "expected_decisions": [decision_row(r) for r in report.expected],
        "other_decisions": [decision_row(r) for r in report.unexpected],
        "expected_obligations": [obligation_row(r) for r in report.obligations],
        "decided": report.decided,
        "decided_on_time": report.decided_on_time,
        "tasks_total": report.tasks_total,
        "tasks_done": report.tasks_done,
        "alerts": report.alerts,
        "injects": report.injects,
    }
