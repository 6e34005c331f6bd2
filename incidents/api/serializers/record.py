"""Serializers of an incident's record: assets, mail, indicators, tasks, evidence, timeline."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from email.utils import parseaddr
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import User
from accounts.roles import Role
from common.columns import NOTHING, ends_in
from incidents.api.serializers.fields import (
    EditableFieldsMixin,
    OrganisationPeopleMixin,
    PersonSerializer,
    PlausibleDateTimeField,
    choice,
    text,
)
from incidents.models import (
    AffectedAsset,
    Asset,
    CustodyEvent,
    EvidenceItem,
    Indicator,
    MailDelivery,
    Task,
    TimelineEntry,
)
from incidents.models import enums as e
from incidents.services.timeline import Check

# --- Affected assets ----------------------------------------------------------------------------


class AssetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Asset
        fields = [
            "id",
            "asset_tag",
            "hostname",
            "kind",
            "holds_personal_data",
            "holds_confidential_data",
            "criticality",
        ]
        read_only_fields = fields


class AffectedAssetSerializer(serializers.ModelSerializer):
    asset = AssetSerializer(read_only=True)

    class Meta:
        model = AffectedAsset
        fields = [
            "id",
            "asset",
            "infection_state",
            "infection_via",
            "first_infected_at",
            "infection_observed_at",
            "malware_capability",
            "containment_state",
            "isolated_at",
            "isolation_method",
            "remediation_state",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AffectedAssetUpdateSerializer(EditableFieldsMixin, serializers.Serializer):
    stores = ends_in(AffectedAsset)

    infection_state = choice(e.InfectionState.choices, required=False)
    infection_via = choice(e.InfectionVia.choices, required=False)
    first_infected_at = PlausibleDateTimeField(required=False, allow_null=True)
    malware_capability = choice(e.MalwareCapability.choices, required=False)
    containment_state = choice(e.ContainmentState.choices, required=False)
    isolated_at = PlausibleDateTimeField(required=False, allow_null=True)
    isolation_method = choice(e.IsolationMethod.choices, required=False, allow_blank=True)
    remediation_state = choice(e.RemediationState.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    observed_at = PlausibleDateTimeField(
        required=False,
        future=timedelta(0),
        help_text=_(
            "When the organisation learned this (if earlier than now): the time the escalation "
            "rules and deadlines run from"
        ),
    )


class AffectedAssetCreateSerializer(AffectedAssetUpdateSerializer):
    """Names the terminal by its asset tag; an unknown tag is added to the inventory."""

    stores = ends_in(
        AffectedAsset,
        asset_tag="incidents.Asset.asset_tag",
        hostname="incidents.Asset.hostname",
        kind="incidents.Asset.kind",
    )

    asset_tag = serializers.CharField(max_length=64)
    hostname = text(255)
    kind = choice(e.AssetKind.choices, default=e.AssetKind.PC)
    holds_personal_data = serializers.BooleanField(required=False, allow_null=True, default=None)
    holds_confidential_data = serializers.BooleanField(
        required=False, allow_null=True, default=None
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs  # a create ignores fields it does not know

    def split(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(the asset's fields, the affected asset's fields)."""
        asset_keys = {
            "asset_tag",
            "hostname",
            "kind",
            "holds_personal_data",
            "holds_confidential_data",
        }
        data = self.validated_data
        return (
            {k: v for k, v in data.items() if k in asset_keys},
            {k: v for k, v in data.items() if k not in asset_keys},
        )


# --- Mail deliveries ----------------------------------------------------------------------------


class MailDeliverySerializer(serializers.ModelSerializer):
    recipient = PersonSerializer(read_only=True)

    class Meta:
        model = MailDelivery
        fields = [
            "id",
            "message",
            "recipient",
            "recipient_name",
            "recipient_email",
            "delivered_at",
            "reported_at",
            "opened_attachment_at",
            "link_clicked_at",
            "credentials_entered_at",
            "executed",
            "blocked",
            "deleted_at",
        ]
        read_only_fields = fields


class MailDeliveryUpdateSerializer(EditableFieldsMixin, serializers.Serializer):
    stores = ends_in(MailDelivery)

    recipient_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    recipient_email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    delivered_at = PlausibleDateTimeField(required=False, allow_null=True)
    reported_at = PlausibleDateTimeField(required=False, allow_null=True)
    opened_attachment_at = PlausibleDateTimeField(required=False, allow_null=True)
    link_clicked_at = PlausibleDateTimeField(required=False, allow_null=True)
    credentials_entered_at = PlausibleDateTimeField(required=False, allow_null=True)
    executed = serializers.BooleanField(required=False)
    blocked = serializers.BooleanField(required=False)
    deleted_at = PlausibleDateTimeField(required=False, allow_null=True)


class MailDeliveryCreateSerializer(OrganisationPeopleMixin, MailDeliveryUpdateSerializer):
    stores = ends_in(MailDelivery, nowhere=("message",))  # message: an id looked up
    people_fields = ("recipient",)

    recipient = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, allow_null=True
    )
    message = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,  # an id (bigint)
        help_text=_("Which of the incident's mail messages was delivered (default: the first)"),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs


# --- Indicators ---------------------------------------------------------------------------------


def _valid_indicator(kind: str, value: str) -> bool:
    checks = {
        e.IndicatorKind.URL: lambda v: URLValidator()(v),
        e.IndicatorKind.SENDER_ADDRESS: lambda v: validate_email(parseaddr(v)[1]),
        e.IndicatorKind.IP: ipaddress.ip_address,
        e.IndicatorKind.C2_IP: ipaddress.ip_address,
    }
    check = checks.get(kind)
    if check is None:
        return True
    try:
        check(value.strip())
    except (DjangoValidationError, ValueError):
        return False
    return True


class SeenInSerializer(serializers.Serializer):
    """Another incident (``INC-…``) or report (``R-…``) that holds the same value."""

    stores = NOTHING  # read-only output

    ref = serializers.CharField(source="label")
    is_incident = serializers.BooleanField()


class IndicatorSerializer(serializers.ModelSerializer):
    # Where else the organisation saw this value (issue 22); the views fill it for a whole
    # page in one query (incidents.correlation).
    seen_in = SeenInSerializer(many=True, read_only=True, default=list)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "kind",
            "value",
            "normalized",
            "tlp",
            "first_seen",
            "last_seen",
            "blocked_at",
            "blocked_by",
            "created_at",
            "seen_in",
        ]
        read_only_fields = fields


class IndicatorCreateSerializer(serializers.Serializer):
    stores = ends_in(Indicator)

    kind = choice(e.IndicatorKind.choices)
    value = serializers.CharField(max_length=2000)
    tlp = choice(e.Tlp.choices, default=e.Tlp.AMBER_STRICT)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not _valid_indicator(attrs["kind"], attrs["value"]):
            raise serializers.ValidationError(
                {"value": _("This value is not a valid %(kind)s.") % {"kind": attrs["kind"]}},
                code="invalid_indicator",
            )
        return attrs


class IndicatorBlockSerializer(serializers.Serializer):
    stores = ends_in(Indicator)

    blocked_by = choice(e.BlockPoint.choices)


# --- Tasks --------------------------------------------------------------------------------------


class TaskSerializer(serializers.ModelSerializer):
    owner = PersonSerializer(read_only=True)
    completed_by = PersonSerializer(read_only=True)
    done_from_record = serializers.BooleanField(
        read_only=True, help_text=_("Completed because the record shows it (完了：記録から)")
    )
    record_proof = serializers.JSONField(
        read_only=True,
        help_text=_("The condition and the records that completed it: {condition, records}"),
    )
    record_warning = serializers.CharField(
        read_only=True,
        help_text=_("Set when a later record no longer shows a done task; it is not reopened"),
    )
    record_missing = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("The records that no longer match (the warning's items)"),
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "code",
            "level",
            "title",
            "owner_role",
            "owner",
            "due_at",
            "status",
            "completion_note",
            "completed_at",
            "completed_by",
            "done_from_record",
            "record_proof",
            "record_warning",
            "record_missing",
            "created_at",
        ]
        read_only_fields = fields


class TaskCreateSerializer(OrganisationPeopleMixin, serializers.Serializer):
    stores = ends_in(Task)

    people_fields = ("owner",)

    title = serializers.CharField(max_length=300)
    code = text(16)
    level = serializers.IntegerField(min_value=1, max_value=3, required=False, allow_null=True)
    owner_role = choice(Role.choices, allow_blank=True, default="")
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, allow_null=True
    )
    # A due date lies ahead; ten years is where "plausible" ends.
    due_at = PlausibleDateTimeField(future=timedelta(days=3650), required=False, allow_null=True)


# Named choice subsets get their own schema enum (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
FINISHED_TASK_STATUSES = [(s, label) for s, label in e.TaskStatus.choices if s != e.TaskStatus.OPEN]


class TaskFinishSerializer(serializers.Serializer):
    stores = ends_in(Task, note="incidents.Task.completion_note")

    status = choice(FINISHED_TASK_STATUSES)
    note = text(5000)


# --- Evidence -----------------------------------------------------------------------------------


class CustodyEventSerializer(serializers.ModelSerializer):
    actor = PersonSerializer(read_only=True)

    class Meta:
        model = CustodyEvent
        fields = ["id", "action", "actor", "holder", "location", "note", "at"]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    collected_by = PersonSerializer(read_only=True)
    custody = CustodyEventSerializer(many=True, read_only=True)

    class Meta:
        model = EvidenceItem
        # The stored file name is the server's business; only the uploader's name is shown.
        fields = [
            "id",
            "kind",
            "description",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "collected_by",
            "collected_at",
            "custody",
        ]
        read_only_fields = fields


class EvidenceUploadSerializer(serializers.Serializer):
    stores = ends_in(EvidenceItem)

    file = serializers.FileField(allow_empty_file=False)
    kind = choice(e.EvidenceKind.choices, default=e.EvidenceKind.OTHER)
    description = text(5000)


class CustodyRecordSerializer(serializers.Serializer):
    stores = ends_in(CustodyEvent)

    action = choice(e.CustodyAction.choices)
    holder = text(200)
    location = text(200)
    note = text(5000)


# --- Timeline -----------------------------------------------------------------------------------


class TimelineEntrySerializer(serializers.ModelSerializer):
    payload = serializers.JSONField(read_only=True)

    class Meta:
        model = TimelineEntry
        fields = [
            "seq",
            "at",
            "actor",
            "actor_label",
            "kind",
            "payload",
            "prev_hash",
            "key_id",
            "hash",
        ]
        read_only_fields = fields


class TimelineVerifySerializer(serializers.Serializer):
    stores = NOTHING

    ok = serializers.BooleanField()
    entries = serializers.IntegerField()
    first_broken_seq = serializers.IntegerField(allow_null=True)
    check = serializers.CharField(
        allow_blank=True,
        help_text="the check the first broken entry failed, empty when the chain is intact: "
        + ", ".join(c.value for c in Check),
    )
    reason = serializers.CharField(allow_blank=True)
    anchored_seq = serializers.IntegerField(
        allow_null=True, help_text="the head recorded in the last signed checkpoint"
    )
    anchored_at = serializers.DateTimeField(allow_null=True)
