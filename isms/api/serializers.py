"""Serializers of the review and corrective-action API. Outputs are read-only; inputs carry only
what a client may set; the services enforce C-1/M-2 (controls, risk reference, reasons)."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import User
from common.columns import ends_in
from incidents.api.serializers.fields import (
    EditableFieldsMixin,
    OrganisationPeopleMixin,
    PersonSerializer,
)
from isms.enums import ActionStatus
from isms.models import AnnexAControl, CorrectiveAction, PostIncidentReview


class AnnexAControlSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnexAControl
        fields = ["id", "theme", "title_ja", "title_en"]
        read_only_fields = fields


class ControlIdsField(serializers.ListField):
    child = serializers.CharField(max_length=8)


class PostIncidentReviewSerializer(serializers.ModelSerializer):
    incident = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    controls_affected = serializers.SlugRelatedField(slug_field="id", many=True, read_only=True)
    complete = serializers.BooleanField(read_only=True, help_text="C-1: root cause and lessons.")
    written_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PostIncidentReview
        fields = [
            "incident",
            "root_cause",
            "what_worked",
            "what_did_not",
            "lessons",
            "no_lessons",
            "controls_affected",
            "no_action_reason",
            "complete",
            "management_review_input",
            "written_by",
            "updated_at",
        ]
        read_only_fields = fields


def _text() -> serializers.CharField:
    return serializers.CharField(required=False, default="", allow_blank=True, max_length=8000)


class PostIncidentReviewWriteSerializer(serializers.Serializer):
    stores = ends_in(PostIncidentReview, nowhere=("lessons", "controls"))

    root_cause = _text()
    what_worked = _text()
    what_did_not = _text()
    lessons = serializers.ListField(
        child=serializers.CharField(max_length=2000, allow_blank=True), required=False, default=list
    )
    no_lessons = _text()
    controls = ControlIdsField(
        required=False, default=list, help_text='Annex A control ids, e.g. ["8.7", "8.23"].'
    )
    no_action_reason = _text()


class CorrectiveActionSerializer(serializers.ModelSerializer):
    incident = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    owner = PersonSerializer(read_only=True, allow_null=True)
    controls = serializers.SlugRelatedField(slug_field="id", many=True, read_only=True)

    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "incident",
            "title",
            "description",
            "owner",
            "due_on",
            "status",
            "status_reason",
            "done_at",
            "controls",
            "risk_reference",
            "risk_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CorrectiveActionCreateSerializer(OrganisationPeopleMixin, serializers.Serializer):
    stores = ends_in(CorrectiveAction, nowhere=("incident", "controls"))

    people_fields = ("owner",)

    incident = serializers.CharField(max_length=20, help_text="The incident's reference.")
    title = serializers.CharField(max_length=300, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, allow_null=True, default=None
    )
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    controls = ControlIdsField(help_text="At least one Annex A control id (rule M-2).")
    risk_reference = serializers.CharField(
        max_length=300, allow_blank=True, help_text="The risk-register entry (rule M-2)."
    )
    # No default: the service has one, and a schema default of "" is not a valid `uri`.
    risk_url = serializers.URLField(required=False, allow_blank=True, max_length=200)
    description = serializers.CharField(required=False, default="", allow_blank=True)


class CorrectiveActionUpdateSerializer(
    EditableFieldsMixin, OrganisationPeopleMixin, serializers.Serializer
):
    stores = ends_in(CorrectiveAction, nowhere=("controls",))

    people_fields = ("owner",)

    title = serializers.CharField(max_length=300, allow_blank=True, required=False)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, allow_null=True
    )
    due_on = serializers.DateField(required=False)
    controls = ControlIdsField(required=False)
    risk_reference = serializers.CharField(max_length=300, allow_blank=True, required=False)
    risk_url = serializers.URLField(required=False, allow_blank=True, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)


class CorrectiveActionStatusSerializer(serializers.Serializer):
    stores = ends_in(CorrectiveAction, reason="isms.CorrectiveAction.status_reason")

    status = serializers.ChoiceField(choices=ActionStatus.choices)
    reason = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=4000,
        help_text="Required to cancel.",
    )  # fmt: skip
