"""Serializers of the roster, decision and cyber-BCP API. Outputs are read-only; inputs carry
only what a client may set, and the services enforce the rules (rationale, windows, ranks)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Absence, Delegation, RoleAssignment, User
from accounts.roles import DecisionType, Role
from bcp.enums import Outcome, Recommendation, Scope
from bcp.models import BcpAction, BcpActivation, Decision, DecisionAssignment
from common.columns import ends_in
from common.timestamps import MomentField
from incidents.api.serializers import PersonSerializer
from incidents.api.serializers.fields import EditableFieldsMixin, OrganisationPeopleMixin, text

# --- Roster ---------------------------------------------------------------------------------------


class RoleAssignmentSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)
    authority_scope = serializers.ListField(
        child=serializers.ChoiceField(choices=DecisionType.choices),
        help_text="Decision types a deputy at this rank may take; empty = every type.",
    )

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "user", "priority", "authority_scope", "created_at", "updated_at"]
        read_only_fields = fields


class RoleAssignmentCreateSerializer(OrganisationPeopleMixin, serializers.Serializer):
    stores = ends_in(RoleAssignment)

    people_fields = ("user",)

    role = serializers.ChoiceField(choices=Role.choices)
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    priority = serializers.IntegerField(min_value=1, max_value=99, default=1)
    authority_scope = serializers.ListField(
        child=serializers.ChoiceField(choices=DecisionType.choices), required=False, default=list
    )


class RoleAssignmentUpdateSerializer(EditableFieldsMixin, serializers.Serializer):
    stores = ends_in(RoleAssignment)

    priority = serializers.IntegerField(min_value=1, max_value=99, required=False)
    authority_scope = serializers.ListField(
        child=serializers.ChoiceField(choices=DecisionType.choices), required=False
    )


class AbsenceSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)

    class Meta:
        model = Absence
        fields = ["id", "user", "starts_at", "ends_at", "reason", "created_at"]
        read_only_fields = fields


class AbsenceUpdateSerializer(EditableFieldsMixin, serializers.Serializer):
    stores = ends_in(Absence)

    starts_at = MomentField(required=False)
    ends_at = MomentField(required=False)
    reason = serializers.CharField(max_length=200, allow_blank=True, required=False)


class AbsenceCreateSerializer(OrganisationPeopleMixin, serializers.Serializer):
    stores = ends_in(Absence)

    people_fields = ("user",)

    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    starts_at = MomentField()
    ends_at = MomentField()
    reason = text(200)


class DelegationSerializer(serializers.ModelSerializer):
    delegator = PersonSerializer(read_only=True)
    delegate = PersonSerializer(read_only=True)

    class Meta:
        model = Delegation
        fields = ["id", "role", "delegator", "delegate", "starts_at", "ends_at", "reason"]
        read_only_fields = fields


class DelegationCreateSerializer(OrganisationPeopleMixin, serializers.Serializer):
    stores = ends_in(Delegation)

    people_fields = ("delegator", "delegate")

    role = serializers.ChoiceField(choices=Role.choices)
    delegator = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    delegate = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    starts_at = MomentField()
    ends_at = MomentField()
    reason = text(200)


class DelegationUpdateSerializer(AbsenceUpdateSerializer):
    """The window and the reason; who delegates what to whom does not change."""

    stores = ends_in(Delegation)


# --- Decisions ------------------------------------------------------------------------------------


class DecisionAssignmentSerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = DecisionAssignment
        fields = ["person", "rank", "reason", "at", "note"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    incident = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    incident_title = serializers.CharField(source="incident.title", read_only=True)
    assignee = PersonSerializer(read_only=True, allow_null=True)
    decided_by = PersonSerializer(read_only=True, allow_null=True)
    ratified_by = PersonSerializer(read_only=True, allow_null=True)
    opened_by = PersonSerializer(read_only=True, allow_null=True)
    withdrawn_by = PersonSerializer(read_only=True, allow_null=True)
    fact_snapshot = serializers.JSONField(
        read_only=True,
        help_text=(
            "The facts when it was decided (rule D-5), returned exactly as stored: later "
            "changes to the incident never alter it. Empty while open."
        ),
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "incident",
            "incident_title",
            "type",
            "required_role",
            "status",
            "recommendation",
            "recommended_scope",
            "target_level",
            "reason",
            "opened_at",
            "opened_by_rule",
            "opened_by",
            "assignee",
            "due_at",
            "overdue",
            "outcome",
            "outcome_scope",
            "decided_by",
            "decided_at",
            "decider_rank",
            "decided_as_delegate",
            "rationale",
            "fact_snapshot",
            "redecide_by",
            "requires_ratification",
            "ratified_by",
            "ratified_at",
            "withdrawn_by",
            "withdrawn_at",
            "withdrawal_reason",
        ]
        read_only_fields = fields


class DecisionDetailSerializer(DecisionSerializer):
    assignments = DecisionAssignmentSerializer(many=True, read_only=True)

    class Meta(DecisionSerializer.Meta):
        fields = [*DecisionSerializer.Meta.fields, "assignments"]
        read_only_fields = fields


class DecisionOpenSerializer(serializers.Serializer):
    stores = ends_in(Decision, nowhere=("incident",))

    incident = serializers.CharField(max_length=20, help_text="The incident's reference.")
    type = serializers.ChoiceField(choices=DecisionType.choices)
    # Required, but checked by the service so the refusal is REASON_REQUIRED.
    reason = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        max_length=4000,
        help_text="Why the decision is needed (shown to the decision maker).",
    )
    recommendation = serializers.ChoiceField(
        choices=Recommendation.choices, required=False, default=Recommendation.NONE
    )
    recommended_scope = serializers.ChoiceField(
        choices=Scope.choices,
        required=False,
        default=Scope.NONE,
        help_text="ACTIVATE_CYBER_BCP only: PARTIAL or FULL (PARTIAL after FULL is rule B-3).",
    )
    target_level = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=3,
        help_text="ESCALATE_LEVEL / DEESCALATE_LEVEL only.",
    )


class DecisionWithdrawSerializer(serializers.Serializer):
    stores = ends_in(Decision, reason="bcp.Decision.withdrawal_reason")

    reason = serializers.CharField(allow_blank=True, required=False, default="", max_length=4000)


class DecisionDecideSerializer(serializers.Serializer):
    stores = ends_in(Decision, scope="bcp.Decision.outcome_scope")

    outcome = serializers.ChoiceField(choices=Outcome.choices)
    # Required by rule D-5, but checked by the service so the refusal is RATIONALE_REQUIRED.
    rationale = serializers.CharField(allow_blank=True, required=False, default="", max_length=4000)
    scope = serializers.ChoiceField(
        choices=Scope.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text="PARTIAL or FULL; required to approve ACTIVATE_CYBER_BCP.",
    )
    redecide_by = MomentField(
        required=False, allow_null=True, default=None, help_text="Required to defer."
    )


# --- Cyber BCP ------------------------------------------------------------------------------------


class BcpActionSerializer(serializers.ModelSerializer):
    executed_by = PersonSerializer(read_only=True, allow_null=True)
    restored_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = BcpAction
        fields = [
            "id",
            "kind",
            "description",
            "owner_role",
            "decision",
            "executed_at",
            "executed_by",
            "restored_at",
            "restored_by",
        ]
        read_only_fields = fields


class BcpActivationSerializer(serializers.ModelSerializer):
    incident = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = BcpActivation
        fields = [
            "incident",
            "state",
            "scope_note",
            "activated_at",
            "stood_down_at",
            "decision",
            "actions",
        ]
        read_only_fields = fields

    def get_incident(self, activation: BcpActivation) -> str:
        return activation.incident.ref

    @extend_schema_field(BcpActionSerializer(many=True))
    def get_actions(self, activation: BcpActivation) -> list[dict[str, Any]]:
        if activation.pk is None:  # never activated: nothing recorded, nothing to show
            return []
        return BcpActionSerializer(activation.actions.all(), many=True).data
