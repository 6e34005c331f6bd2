"""Serializers of the privacy API: outputs read-only, inputs only what a client may set; the
services enforce the rules (A-0 … A-6, T-1)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from common.columns import NOTHING, ends_in
from common.timestamps import MomentField
from incidents.api.serializers.fields import PersonSerializer, PlausibleDateTimeField, text
from incidents.models import Asset
from privacy import enums
from privacy.models import AppiAssessment, DataSet, DataSetLeak, Obligation, PpcReport


class AssetTagsField(serializers.ListField):
    child = serializers.CharField(max_length=64)


class DataSetSerializer(serializers.ModelSerializer):
    hosted_on = serializers.SlugRelatedField(slug_field="asset_tag", many=True, read_only=True)
    accessible_from = serializers.SlugRelatedField(
        slug_field="asset_tag", many=True, read_only=True
    )

    class Meta:
        model = DataSet
        fields = [
            "id",
            "name",
            "system",
            "contains_personal_data",
            "sensitive_personal_data",
            "financial_damage_risk",
            "individuals_count",
            "high_grade_encrypted",
            "processing_role",
            "entrusting_party",
            "confidentiality",
            "data_items",
            "hosted_on",
            "accessible_from",
            "updated_at",
        ]
        read_only_fields = fields


class DataSetWriteSerializer(serializers.ModelSerializer):
    """Create or change a data set; ``hosted_on`` / ``accessible_from`` name assets by tag."""

    hosted_on = AssetTagsField(required=False, help_text="Asset tags of the hosting assets.")
    accessible_from = AssetTagsField(
        required=False, help_text="Asset tags of the assets that can reach the data (A-0)."
    )

    class Meta:
        model = DataSet
        fields = [
            "name",
            "system",
            "contains_personal_data",
            "sensitive_personal_data",
            "financial_damage_risk",
            "individuals_count",
            "high_grade_encrypted",
            "processing_role",
            "entrusting_party",
            "confidentiality",
            "data_items",
            "hosted_on",
            "accessible_from",
        ]
        extra_kwargs = {"individuals_count": {"max_value": 2_000_000_000}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        organisation_id = self.context["request"].user.organisation_id
        for name in ("hosted_on", "accessible_from"):
            if name not in attrs:
                continue
            tags = list(dict.fromkeys(attrs[name]))
            found = {
                a.asset_tag: a
                for a in Asset.objects.filter(organisation_id=organisation_id, asset_tag__in=tags)
            }
            missing = [t for t in tags if t not in found]
            if missing:
                raise serializers.ValidationError(
                    {name: [f"unknown asset: {', '.join(missing[:5])}"]}, code="unknown_asset"
                )
            attrs[name] = [found[t] for t in tags]
        return attrs


class DataSetImportSerializer(serializers.Serializer):
    stores = NOTHING

    file = serializers.FileField(help_text="UTF-8 (with or without BOM) or Shift_JIS CSV")


class DataLeakSerializer(serializers.ModelSerializer):
    data_set = serializers.PrimaryKeyRelatedField(read_only=True)
    data_set_name = serializers.CharField(source="data_set.name", read_only=True)
    recorded_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = DataSetLeak
        fields = [
            "id",
            "data_set",
            "data_set_name",
            "kind",
            "occurred_at",
            "observed_at",
            "volume",
            "individuals",
            "credible",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class DataLeakCreateSerializer(serializers.Serializer):
    stores = ends_in(DataSetLeak, nowhere=("data_set",))

    data_set = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    kind = serializers.ChoiceField(choices=enums.LeakKind.choices)
    occurred_at = PlausibleDateTimeField(required=False, allow_null=True, default=None)
    observed_at = PlausibleDateTimeField(required=False, allow_null=True, default=None)
    volume = text(200)
    individuals = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=2_000_000_000
    )
    credible = serializers.BooleanField(required=False, default=True)
    note = text(500)


class ObligationSerializer(serializers.ModelSerializer):
    incident = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    closed_by = PersonSerializer(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Obligation
        fields = [
            "id",
            "incident",
            "kind",
            "basis",
            "owner_role",
            "recommended",
            "clock_start",
            "soft_due_at",
            "due_at",
            "status",
            "overdue",
            "done_at",
            "reference_no",
            "submitted_via",
            "waived_reason",
            "note",
            "closed_by",
            "updated_at",
        ]
        read_only_fields = fields

    def get_overdue(self, obj: Obligation) -> bool:
        from common import clock

        return obj.status == "OPEN" and obj.due_at is not None and obj.due_at < clock.now()


class ObligationCreateSerializer(serializers.Serializer):
    stores = ends_in(Obligation, nowhere=("incident",))

    incident = serializers.CharField(max_length=20, help_text="The incident's reference.")
    kind = serializers.ChoiceField(choices=enums.ObligationKind.choices)
    soft_due_at = MomentField(required=False, allow_null=True, default=None)
    due_at = MomentField(required=False, allow_null=True, default=None)
    # Left out: the kind's usual owner (legal/privacy unless the kind says otherwise).
    owner_role = serializers.ChoiceField(
        choices=Obligation._meta.get_field("owner_role").choices, required=False
    )
    note = text(500)


class ObligationDoneSerializer(serializers.Serializer):
    stores = ends_in(Obligation)

    reference_no = text(100, help_text="The receipt number (受付番号) or reference.")
    done_at = PlausibleDateTimeField(required=False, allow_null=True, default=None)
    submitted_via = text(200)


class ReasonSerializer(serializers.Serializer):
    stores = ends_in(Obligation, reason="privacy.Obligation.waived_reason")

    reason = serializers.CharField(max_length=1000, allow_blank=True)


class AppiAssessmentSerializer(serializers.ModelSerializer):
    incident = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    data_sets = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = AppiAssessment
        fields = [
            "incident",
            "screening",
            "screening_reason",
            "status",
            "aware_at",
            "aware_trigger",
            "categories",
            "cause",
            "affected_individuals_estimate",
            "data_sets",
            "exemption",
            "report_form",
            "warning",
            "updated_at",
        ]
        read_only_fields = fields


class AppiAssessmentUpdateSerializer(serializers.Serializer):
    stores = ends_in(AppiAssessment)

    cause = serializers.ChoiceField(choices=enums.Cause.choices, required=False)
    report_form = serializers.ChoiceField(choices=enums.ReportForm.choices, required=False)


class PpcReportSerializer(serializers.ModelSerializer):
    edited_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PpcReport
        fields = ["version", "items", "edited_by", "updated_at"]
        read_only_fields = fields


class PpcReportWriteSerializer(serializers.Serializer):
    stores = ends_in(PpcReport, nowhere=("items",))

    version = serializers.ChoiceField(choices=enums.ReportVersion.choices)
    items = serializers.DictField(
        child=serializers.CharField(max_length=8000, allow_blank=True),
        help_text="Item key → text (keys as in GET …/ppc-report/).",
    )
