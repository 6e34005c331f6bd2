from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bcp.models import Decision
from common.columns import NOTHING, ends_in
from common.timestamps import MomentField
from incidents.models import enums as e
from risklevels.models import ChecklistTemplate, EscalationParams, LevelChange, TrendPoint


class EscalationReasonSerializer(serializers.Serializer):
    stores = NOTHING

    rule_id = serializers.CharField()
    target = serializers.IntegerField()
    text = serializers.CharField(help_text=_("Why, in the user's language, with the rule id"))
    first_at = serializers.DateTimeField()
    last_at = serializers.DateTimeField()
    params_version = serializers.IntegerField()


class LevelChangeSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = LevelChange
        fields = [
            "from_level",
            "to_level",
            "decision",
            "fired_rules",
            "fact_snapshot",
            "at",
            "actor",
        ]
        read_only_fields = fields


class EscalationSerializer(serializers.Serializer):
    stores = NOTHING

    level = serializers.IntegerField()
    level_name = serializers.CharField()
    recommended_level = serializers.IntegerField()
    recommended_level_name = serializers.CharField()
    peak_level = serializers.IntegerField()
    reasons = EscalationReasonSerializer(many=True)
    history = LevelChangeSerializer(many=True)


class TrendPointSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrendPoint
        fields = ["at", "effective", "confirmed", "isolated"]
        read_only_fields = fields


FACT_KINDS = [
    ("infection", _("Asset infection state")),
    ("external_comm", _("External communication")),
    ("leak", _("Data leak")),
    ("delivery_executed", _("Attachment executed by a recipient")),
]


class FactInputSerializer(serializers.Serializer):
    """A fact about the incident; ``asset_tag`` names the terminal or server (created if new)."""

    stores = ends_in(
        None,
        asset_tag=("incidents.Asset.asset_tag", "incidents.Asset.hostname"),
        asset_kind="incidents.Asset.kind",
        state="incidents.AffectedAsset.infection_state",
        via="incidents.AffectedAsset.infection_via",
        status=("incidents.Incident.external_comm_status", "incidents.Incident.leak_status"),
        c2=("incidents.Indicator.value", "incidents.Indicator.normalized"),
        capability="incidents.AffectedAsset.malware_capability",
        nowhere=("kind", "delivery", "c2_indicator", "blocked", "last_seen_at", "bytes_sent"),
    )

    kind = serializers.ChoiceField(choices=FACT_KINDS)
    asset_tag = serializers.CharField(max_length=64, required=False, allow_blank=True)
    asset_kind = serializers.ChoiceField(choices=e.AssetKind.choices, required=False)
    holds_personal_data = serializers.BooleanField(required=False, allow_null=True, default=None)
    state = serializers.ChoiceField(choices=e.InfectionState.choices, required=False)
    via = serializers.ChoiceField(choices=e.InfectionVia.choices, required=False)
    status = serializers.ChoiceField(
        choices=[("SUSPECTED", _("Suspected")), ("CONFIRMED", _("Confirmed"))], required=False
    )
    holds_confidential_data = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The asset holds customer or company-confidential data (rule L3-b)"),
    )
    c2_indicator = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=2**63 - 1,  # an id (bigint)
        help_text=_("external_comm: the id of this incident's C2 indicator the traffic went to"),
    )
    c2 = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=255,
        help_text=_(
            "external_comm: the C2 domain or IP address (found among, or added to, the "
            "incident's indicators)"
        ),
    )
    capability = serializers.ChoiceField(
        choices=e.MalwareCapability.choices,
        required=False,
        help_text=_("infection: what the malware can do"),
    )
    blocked = serializers.BooleanField(
        default=False, help_text=_("external_comm: the traffic was blocked")
    )
    last_seen_at = MomentField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("external_comm: the last connection seen (the first is occurred_at)"),
    )
    bytes_sent = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=2**53,
        help_text=_("external_comm: how many bytes went out"),
    )
    personal_data = serializers.BooleanField(default=False)
    delivery = serializers.IntegerField(required=False)
    occurred_at = MomentField(required=False, allow_null=True, default=None)
    observed_at = MomentField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict) -> dict:
        needs = {
            "infection": ("asset_tag", "state"),
            "external_comm": ("status",),
            "leak": ("status",),
            "delivery_executed": ("asset_tag", "delivery"),
        }
        missing = [f for f in needs[attrs["kind"]] if not attrs.get(f)]
        if missing:
            raise serializers.ValidationError({f: _("This field is required.") for f in missing})
        return attrs


class LowerLevelSerializer(serializers.Serializer):
    stores = ends_in(Decision, target="bcp.Decision.target_level")

    target = serializers.IntegerField(min_value=1, max_value=2)
    reason = serializers.CharField(max_length=2000)


class EscalationParamsSerializer(serializers.ModelSerializer):
    class Meta:
        model = EscalationParams
        fields = [
            "version",
            "infected_threshold",
            "trend_rule",
            "external_comm_trigger",
            "leak_trigger",
            "personal_data_store_rule",
            "created_at",
        ]
        read_only_fields = ["version", "created_at"]


class ChecklistTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistTemplate
        fields = [
            "id",
            "track",
            "level",
            "code",
            "title_ja",
            "title_en",
            "owner_role",
            "refs",
            "order",
            "active",
        ]
        read_only_fields = ["id"]


class LevelDefinitionSerializer(serializers.ModelSerializer):
    class Meta:
        from risklevels.models import LevelDefinition

        model = LevelDefinition
        fields = [
            "id",
            "level",
            "name_ja",
            "name_en",
            "happened_ja",
            "happened_en",
            "impact_ja",
            "impact_en",
            "response_ja",
            "response_en",
            "workload_ja",
            "workload_en",
        ]
        read_only_fields = ["id", "level"]
