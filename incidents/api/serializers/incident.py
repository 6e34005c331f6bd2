"""Serializers of incidents and their commands (transition, assign)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import User
from common.columns import ends_in
from incidents import facts, lifecycle
from incidents.api.serializers.fields import (
    EditableFieldsMixin,
    OrganisationPeopleMixin,
    PersonSerializer,
    choice,
)
from incidents.models import Incident
from incidents.models import enums as e

# --- Incidents ----------------------------------------------------------------------------------


class CounterField(serializers.IntegerField):
    """An X-4 counter (``incidents.facts``): annotated by the list's selector, else counted
    once for the incident."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(read_only=True, source="*", **kwargs)  # type: ignore[arg-type]

    def to_representation(self, incident: Incident) -> int:  # type: ignore[override]
        return facts.counters_of(incident)[self.field_name]


class IncidentListSerializer(serializers.ModelSerializer):
    csirt_lead = PersonSerializer(read_only=True)
    mail_delivered_count = CounterField(help_text=_("Deliveries of the campaign's mail"))
    mail_reported_count = CounterField(help_text=_("Recipients who reported it"))
    mail_executed_count = CounterField(
        help_text=_("Recipients who ran the attachment or followed the link (X-1)")
    )
    infected_effective_count = CounterField(
        help_text=_("Assets suspected, confirmed or compromised (X-4)")
    )
    infected_confirmed_count = CounterField(help_text=_("Assets confirmed or compromised"))
    isolated_count = CounterField(help_text=_("Assets isolated"))

    class Meta:
        model = Incident
        fields = [
            "ref",
            "title",
            "category",
            "attack_vector",
            "status",
            "level",
            "recommended_level",
            "priority",
            "tlp",
            "determination",
            "csirt_lead",
            "declared_at",
            "closed_at",
            "updated_at",
            *facts.COUNTERS,
        ]
        read_only_fields = fields


class IncidentSerializer(IncidentListSerializer):
    handlers = PersonSerializer(many=True, read_only=True)
    owner = PersonSerializer(read_only=True, allow_null=True)
    allowed_transitions = serializers.SerializerMethodField()
    # Stored as codes; read in words, in the request's language.
    priority_reason = serializers.CharField(source="priority_reason_text", read_only=True)

    class Meta(IncidentListSerializer.Meta):
        fields = [
            *IncidentListSerializer.Meta.fields,
            "description",
            "peak_level",
            "priority_reason",
            "functional_impact",
            "information_impact",
            "recoverability",
            "external_comm_status",
            "leak_status",
            "owner",
            "handlers",
            "contained_at",
            "eradicated_at",
            "recovered_at",
            "irt_established_at",
            "recurrence_prevention",
            "allowed_transitions",
            "created_at",
        ]
        read_only_fields = fields

    def get_allowed_transitions(self, incident: Incident) -> list[str]:
        return lifecycle.allowed_targets(incident.status)


class IncidentUpdateSerializer(
    EditableFieldsMixin, OrganisationPeopleMixin, serializers.Serializer
):
    """Each changed field is one timeline entry with its old and new value."""

    stores = ends_in(Incident)

    people_fields = ("csirt_lead", "owner")

    title = serializers.CharField(max_length=200)
    csirt_lead = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), allow_null=True, help_text="A person of the organisation."
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        allow_null=True,
        help_text="担当者: a person of the organisation.",
    )
    description = serializers.CharField(allow_blank=True, max_length=20000)
    category = choice(e.Category.choices)
    attack_vector = choice(e.AttackVector.choices)
    priority = choice(e.Priority.choices)
    tlp = choice(e.Tlp.choices)
    functional_impact = choice(e.Impact.choices)
    information_impact = serializers.ListField(
        child=choice(e.InformationImpact.choices), max_length=len(e.InformationImpact.choices)
    )
    recoverability = choice(e.Recoverability.choices, allow_blank=True)
    determination = choice(e.Determination.choices)
    recurrence_prevention = serializers.CharField(allow_blank=True, max_length=20000)


class IncidentTransitionSerializer(serializers.Serializer):
    stores = ends_in(
        Incident,
        target="incidents.Incident.status",
        to="incidents.Incident.status",
        waive_reason="incidents.Task.completion_note",
        nowhere=("reason",),  # onto the timeline (JSON)
    )

    target = choice(e.IncidentStatus.choices, required=False, help_text="The status to move to.")
    to = choice(e.IncidentStatus.choices, required=False, help_text="Same as ``target``.")
    reason = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=4000,
        help_text="Required to reopen a closed incident (CLOSED → CONTAINING).",
    )
    waive_reason = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=4000,
        help_text="Closing with open tasks: the reason each of them is waived with.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        target = attrs.pop("target", None) or attrs.pop("to", None)
        attrs.pop("to", None)
        if target is None:
            raise serializers.ValidationError(
                {"target": [_("Give the status to move to.")]}, code="required"
            )
        return {**attrs, "target": target}


class IncidentAssignSerializer(OrganisationPeopleMixin, serializers.Serializer):
    stores = ends_in(Incident)

    people_fields = ("csirt_lead", "handlers")

    csirt_lead = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), required=False)
    handlers = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), many=True, required=False
    )
