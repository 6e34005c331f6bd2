"""Serializers of the incident API: outputs are read-only; inputs carry only what a client may set.

Fields a client may not set (organisation, reporter, status, level, timestamps of record, the
stored file name) are absent from the input serializers: a create ignores them, a PATCH
rejects them (``field_not_editable``) so that nobody mistakes a PATCH for a status change.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import User
from accounts.roles import Role
from common import clock
from common.errors import InvalidInput
from incidents import lifecycle, selectors
from incidents.models import (
    AffectedAsset,
    Asset,
    CustodyEvent,
    Event,
    EvidenceItem,
    Incident,
    Indicator,
    MailDelivery,
    Report,
    Task,
    TimelineEntry,
)
from incidents.models import enums as e
from incidents.services.intake import EARLIEST, FUTURE_TOLERANCE, ReportInput

# --- Fields -------------------------------------------------------------------------------------


class PlausibleDateTimeField(serializers.DateTimeField):
    """A timestamp between 2000 and now (plus a tolerance for clock skew or a due date)."""

    default_error_messages = {
        "invalid_timestamp": _("The time must lie between 2000 and now."),
    }

    def __init__(self, *, future: timedelta = FUTURE_TOLERANCE, **kwargs: Any) -> None:
        self.future = future
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> datetime:
        parsed = super().to_internal_value(value)
        if not EARLIEST <= parsed <= clock.now() + self.future:
            self.fail("invalid_timestamp")
        return parsed


class MailboxField(serializers.CharField):
    """A sender as mail clients show it: ``"Name" <address>`` or a bare address."""

    default_error_messages = {"invalid": _("Enter a valid email address.")}

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if value:
            _name, address = parseaddr(value)
            try:
                validate_email(address)
            except DjangoValidationError:
                self.fail("invalid")
        return value


def text(max_length: int, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, allow_blank=True, default="", **kwargs)


def choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, **kwargs)


class OrganisationPeopleMixin:
    """Scopes the person fields named in ``people_fields`` to the requester's organisation."""

    people_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")  # type: ignore[attr-defined]
        org_id = getattr(getattr(request, "user", None), "organisation_id", None)
        people: QuerySet[User] = User.objects.filter(organisation_id=org_id, is_active=True)
        for name in self.people_fields:
            field = self.fields[name]  # type: ignore[attr-defined]
            getattr(field, "child_relation", field).queryset = people


class EditableFieldsMixin:
    """A PATCH names only fields it may change; anything else is refused, not ignored."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        sent = set(getattr(self, "initial_data", {}) or {})
        refused = sorted(sent - set(self.fields))  # type: ignore[attr-defined]
        if refused:
            raise InvalidInput(
                "field_not_editable",
                _(
                    "These fields cannot be changed here. The status changes by a transition "
                    "command and the level only by a decision."
                ),
                fields=refused,
            )
        return attrs


# --- Shared outputs -----------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name"]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    """Every error: a stable machine-readable code, a message for people, and details."""

    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.DictField()


# --- Reports (intake) ---------------------------------------------------------------------------


class ReportSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    reporter = PersonSerializer(read_only=True)
    event = serializers.PrimaryKeyRelatedField(read_only=True)
    incident = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    has_eml = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "number",
            "channel",
            "category",
            "what_happened",
            "received_at",
            "reporter",
            "reporter_name",
            "reporter_email",
            "sender",
            "subject",
            "message_id",
            "url",
            "mail_received_at",
            "attachment_name",
            "attachment_sha256",
            "asset_label",
            "cable_pulled",
            "cable_pulled_at",
            "first_aid_confirmed_at",
            "description",
            "has_eml",
            "eml_parse_error",
            "event",
            "incident",
            "matched",
        ]
        read_only_fields = fields

    def get_has_eml(self, report: Report) -> bool:
        return bool(report.eml)


class ReportCreateSerializer(serializers.Serializer):
    channel = choice(e.Channel.choices, default=e.Channel.API)
    category = choice(e.Category.choices, default=e.Category.TARGETED_EMAIL)
    impact = choice(e.Impact.choices, default=e.Impact.LOW)
    what_happened = choice(e.WhatHappened.choices, allow_blank=True, default="")
    sender = MailboxField(max_length=320, allow_blank=True, default="")
    subject = text(998)
    message_id = text(998)
    url = serializers.URLField(max_length=2000, allow_blank=True, default="")
    mail_received_at = PlausibleDateTimeField(required=False, allow_null=True, default=None)
    attachment_name = text(255)
    attachment_sha256 = serializers.RegexField(
        r"^[0-9a-fA-F]{64}$", allow_blank=True, default="", max_length=64
    )
    asset_label = text(100)
    cable_pulled = serializers.BooleanField(required=False, allow_null=True, default=None)
    cable_pulled_at = PlausibleDateTimeField(required=False, allow_null=True, default=None)
    first_aid_confirmed_at = PlausibleDateTimeField(required=False, allow_null=True, default=None)
    description = text(20000)
    reporter_name = text(200)
    reporter_email = serializers.EmailField(allow_blank=True, default="")
    eml = serializers.FileField(required=False, help_text=_("The reported email as .eml"))

    def to_input(self) -> ReportInput:
        data = {k: v for k, v in self.validated_data.items() if k != "eml"}
        return ReportInput(**data)


# --- Triage queue -------------------------------------------------------------------------------


class EventReportSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)

    class Meta:
        model = Report
        fields = ["id", "number", "reporter_name", "received_at", "what_happened", "matched"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    triaged_by = PersonSerializer(read_only=True)
    incident = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    time_to_triage_seconds = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "status",
            "summary",
            "category",
            "channel",
            "impact",
            "priority",
            "priority_reason",
            "received_at",
            "report_count",
            "triaged_at",
            "triaged_by",
            "time_to_triage_seconds",
            "disposition",
            "disposition_note",
            "incident",
        ]
        read_only_fields = fields

    def get_time_to_triage_seconds(self, event: Event) -> int | None:
        delta = event.time_to_triage
        return int(delta.total_seconds()) if delta is not None else None


class EventDetailSerializer(EventSerializer):
    reports = EventReportSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "reports"]
        read_only_fields = fields


class EventPromoteSerializer(serializers.Serializer):
    category = choice(e.Category.choices, required=False)
    impact = choice(e.Impact.choices, required=False)
    title = text(200)


class EventAttachSerializer(serializers.Serializer):
    incident = serializers.SlugRelatedField(slug_field="ref", queryset=Incident.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["incident"].queryset = selectors.incidents_visible_to(request.user)


class EventCloseSerializer(serializers.Serializer):
    status = choice(
        [
            (s, label)
            for s, label in e.EventStatus.choices
            if s in {e.EventStatus.NOT_INCIDENT, e.EventStatus.DUPLICATE, e.EventStatus.TRANSFERRED}
        ]
    )
    disposition = choice(e.Disposition.choices)
    note = text(5000)


# --- Incidents ----------------------------------------------------------------------------------


class IncidentListSerializer(serializers.ModelSerializer):
    csirt_lead = PersonSerializer(read_only=True)

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
        ]
        read_only_fields = fields


class IncidentSerializer(IncidentListSerializer):
    handlers = PersonSerializer(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

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


class IncidentUpdateSerializer(EditableFieldsMixin, serializers.Serializer):
    title = serializers.CharField(max_length=200)
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
    target = choice(e.IncidentStatus.choices)


class IncidentAssignSerializer(OrganisationPeopleMixin, serializers.Serializer):
    people_fields = ("csirt_lead", "handlers")

    csirt_lead = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), required=False)
    handlers = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), many=True, required=False
    )


# --- Affected assets ----------------------------------------------------------------------------


class AssetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Asset
        fields = ["id", "asset_tag", "hostname", "kind", "holds_personal_data", "criticality"]
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
    infection_state = choice(e.InfectionState.choices, required=False)
    infection_via = choice(e.InfectionVia.choices, required=False)
    first_infected_at = PlausibleDateTimeField(required=False, allow_null=True)
    malware_capability = choice(e.MalwareCapability.choices, required=False)
    containment_state = choice(e.ContainmentState.choices, required=False)
    isolated_at = PlausibleDateTimeField(required=False, allow_null=True)
    isolation_method = choice(e.IsolationMethod.choices, required=False, allow_blank=True)
    remediation_state = choice(e.RemediationState.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class AffectedAssetCreateSerializer(AffectedAssetUpdateSerializer):
    """Names the terminal by its asset tag; an unknown tag is added to the inventory."""

    asset_tag = serializers.CharField(max_length=64)
    hostname = text(255)
    kind = choice(e.AssetKind.choices, default=e.AssetKind.PC)
    holds_personal_data = serializers.BooleanField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs  # a create ignores fields it does not know

    def split(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(the asset's fields, the affected asset's fields)."""
        asset_keys = {"asset_tag", "hostname", "kind", "holds_personal_data"}
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
    recipient_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    recipient_email = serializers.EmailField(required=False, allow_blank=True)
    delivered_at = PlausibleDateTimeField(required=False, allow_null=True)
    reported_at = PlausibleDateTimeField(required=False, allow_null=True)
    opened_attachment_at = PlausibleDateTimeField(required=False, allow_null=True)
    link_clicked_at = PlausibleDateTimeField(required=False, allow_null=True)
    credentials_entered_at = PlausibleDateTimeField(required=False, allow_null=True)
    executed = serializers.BooleanField(required=False)
    blocked = serializers.BooleanField(required=False)
    deleted_at = PlausibleDateTimeField(required=False, allow_null=True)


class MailDeliveryCreateSerializer(OrganisationPeopleMixin, MailDeliveryUpdateSerializer):
    people_fields = ("recipient",)

    recipient = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, allow_null=True
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


class IndicatorSerializer(serializers.ModelSerializer):
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
        ]
        read_only_fields = fields


class IndicatorCreateSerializer(serializers.Serializer):
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
    blocked_by = choice(e.BlockPoint.choices)


# --- Tasks --------------------------------------------------------------------------------------


class TaskSerializer(serializers.ModelSerializer):
    owner = PersonSerializer(read_only=True)
    completed_by = PersonSerializer(read_only=True)

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
            "created_at",
        ]
        read_only_fields = fields


class TaskCreateSerializer(OrganisationPeopleMixin, serializers.Serializer):
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


class TaskFinishSerializer(serializers.Serializer):
    status = choice([(s, label) for s, label in e.TaskStatus.choices if s != e.TaskStatus.OPEN])
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
    file = serializers.FileField(allow_empty_file=False)
    kind = choice(e.EvidenceKind.choices, default=e.EvidenceKind.OTHER)
    description = text(5000)


class CustodyRecordSerializer(serializers.Serializer):
    action = choice(e.CustodyAction.choices)
    holder = text(200)
    location = text(200)
    note = text(5000)


# --- Timeline -----------------------------------------------------------------------------------


class TimelineEntrySerializer(serializers.ModelSerializer):
    payload = serializers.JSONField(read_only=True)

    class Meta:
        model = TimelineEntry
        fields = ["seq", "at", "actor", "actor_label", "kind", "payload", "prev_hash", "hash"]
        read_only_fields = fields


class TimelineVerifySerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    entries = serializers.IntegerField()
    first_broken_seq = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
