"""Serializers of the CSIRT-function map."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organisation
from common.columns import ends_in
from training.enums import DeliveryMode
from training.models import CsirtFunctionDelivery

# --- CSIRT-function map --------------------------------------------------------------------------


class CsirtFunctionDeliverySerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(source="function.number")
    group = serializers.CharField(source="function.group")
    name_ja = serializers.CharField(source="function.name_ja")
    name_en = serializers.CharField(source="function.name_en")
    first_service = serializers.CharField(source="function.first_service")
    iso_controls = serializers.CharField(source="function.iso_controls")
    isms_alpha = serializers.CharField(source="function.isms_alpha")
    default_step = serializers.IntegerField(source="function.default_step", allow_null=True)

    class Meta:
        model = CsirtFunctionDelivery
        fields = [
            "number",
            "group",
            "name_ja",
            "name_en",
            "first_service",
            "iso_controls",
            "isms_alpha",
            "default_step",
            "mode",
            "provider",
            "step",
            "note",
            "assessed",
            "updated_at",
        ]
        read_only_fields = fields


class CsirtFunctionWriteSerializer(serializers.Serializer):
    stores = ends_in(CsirtFunctionDelivery)

    mode = serializers.ChoiceField(choices=DeliveryMode.choices)
    provider = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    step = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=3
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CsirtStepSerializer(serializers.Serializer):
    stores = ends_in(Organisation, step="accounts.Organisation.csirt_step")

    step = serializers.IntegerField(min_value=1, max_value=3)
