"""Serializers of the exercise API: start, drive the clock, post facts and decisions, state,
and the after-action report."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bcp.api.serializers import DecisionDetailSerializer
from bcp.enums import Outcome, Scope
from bcp.models import Decision
from common.columns import NOTHING, ends_in
from common.timestamps import MomentField
from incidents.api.serializers import PersonSerializer, TaskSerializer
from incidents.models import enums as e
from training import scenario
from training.enums import ClockMode, InjectKind
from training.models import Exercise, ExerciseInject
from training.templatetags.training_ui import offset_from

FACT_STATUS = [("SUSPECTED", _("Suspected")), ("CONFIRMED", _("Confirmed"))]


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


class ExerciseInjectSerializer(serializers.Serializer):
    """A fact as of exercise time now; the fields needed depend on the kind."""

    stores = ends_in(
        ExerciseInject,
        reporter="incidents.Report.reporter_name",
        what_happened="incidents.Report.what_happened",
        state="incidents.AffectedAsset.infection_state",
        via="incidents.AffectedAsset.infection_via",
        status=("incidents.Incident.external_comm_status", "incidents.Incident.leak_status"),
        # c2 becomes a drill domain (cut to the indicator's column), observed an offset.
        nowhere=("asset", "c2", "observed"),
    )

    kind = serializers.ChoiceField(choices=InjectKind.choices)
    text = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    reporter = serializers.CharField(max_length=100, required=False)
    what_happened = serializers.ChoiceField(choices=e.WhatHappened.choices, required=False)
    asset = serializers.CharField(max_length=50, required=False)
    cable_pulled = serializers.BooleanField(required=False)
    state = serializers.ChoiceField(choices=e.InfectionState.choices, required=False)
    via = serializers.ChoiceField(choices=e.InfectionVia.choices, required=False)
    status = serializers.ChoiceField(choices=FACT_STATUS, required=False)
    to_c2 = serializers.BooleanField(required=False)
    c2 = serializers.CharField(max_length=100, required=False)
    personal_data = serializers.BooleanField(required=False)
    observed = serializers.CharField(
        max_length=10,
        required=False,
        help_text=_("When it was learned, as an offset from the start (+1:20), if before now"),
    )


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
    expected = serializers.JSONField()
    decision = serializers.IntegerField(allow_null=True)
    opened_at = serializers.DateTimeField(allow_null=True)
    first_due_at = serializers.DateTimeField(allow_null=True)
    assignee = PersonSerializer(allow_null=True)
    decided_by = PersonSerializer(allow_null=True)
    decider_rank = serializers.IntegerField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    minutes_taken = serializers.FloatField(allow_null=True)
    minutes_late = serializers.FloatField(allow_null=True)
    on_time = serializers.BooleanField(allow_null=True)
    overdue = serializers.BooleanField()
    reassigned_to = PersonSerializer(many=True)
    alerts = serializers.IntegerField()
    alerts_acknowledged = serializers.IntegerField()


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
    return {
        "type": row.expected.get("type", decision.type if decision else ""),
        "expected": row.expected,
        "decision": decision.pk if decision else None,
        "opened_at": decision.opened_at if decision else None,
        "first_due_at": row.first_due_at,
        "assignee": decision.assignee if decision else None,
        "decided_by": decision.decided_by if decision else None,
        "decider_rank": decision.decider_rank if decision else None,
        "outcome": decision.outcome if decision else "",
        "decided_at": decision.decided_at if decision else None,
        "minutes_taken": _minutes(row.took),
        "minutes_late": _minutes(row.late_by),
        "on_time": row.on_time,
        "overdue": bool(decision and decision.overdue),
        "reassigned_to": [a.person for a in row.reassignments if a.person is not None],
        "alerts": len(alerts),
        "alerts_acknowledged": sum(1 for a in alerts if a.acknowledged_at is not None),
    }


def after_action_data(report: Any) -> dict[str, Any]:
    return {
        "exercise": report.exercise,
        "incidents": report.incidents,
        "expected_decisions": [decision_row(r) for r in report.expected],
        "other_decisions": [decision_row(r) for r in report.unexpected],
        "decided": report.decided,
        "decided_on_time": report.decided_on_time,
        "tasks_total": report.tasks_total,
        "tasks_done": report.tasks_done,
        "alerts": report.alerts,
        "injects": report.injects,
    }
