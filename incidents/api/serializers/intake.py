"""Serializers of reports (intake) and the triage queue."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.columns import NOTHING, ends_in
from incidents import selectors
from incidents.api.serializers.fields import (
    FieldsBuiltOnce,
    MailboxField,
    PersonSerializer,
    PlausibleDateTimeField,
    choice,
    text,
)
from incidents.models import Event, Incident, Report
from incidents.models import enums as e
from incidents.models.assets import ASSET_TAG_MAX_LENGTH
from incidents.services.intake import ReportInput

# --- Reports (intake) ---------------------------------------------------------------------------


class ReportSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
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
            "intake_problem",
            "intake_problem_detail",
        ]
        read_only_fields = fields

    def get_has_eml(self, report: Report) -> bool:
        return bool(report.eml)


class ReportCreateSerializer(FieldsBuiltOnce, serializers.Serializer):
    stores = ends_in(
        Report, asset_label="incidents.Asset.asset_tag", impact="incidents.Event.impact"
    )

    channel = choice(e.Channel.choices, default=e.Channel.API)
    category = choice(e.Category.choices, default=e.Category.TARGETED_EMAIL)
    impact = choice(e.Impact.choices, default=e.Impact.LOW)
    what_happened = choice(e.WhatHappened.choices, allow_blank=True, default="")
    sender = MailboxField(max_length=320, allow_blank=True, default="")
    subject = text(998)
    message_id = text(998)
    url = serializers.URLField(max_length=2000, allow_blank=True, required=False)
    mail_received_at = PlausibleDateTimeField(required=False, allow_null=True, default=None)
    attachment_name = text(255)
    attachment_sha256 = serializers.RegexField(
        r"^([0-9a-fA-F]{64})?$", allow_blank=True, default="", max_length=64
    )
    asset_label = text(ASSET_TAG_MAX_LENGTH)  # it becomes an asset tag
    cable_pulled = serializers.BooleanField(required=False, allow_null=True, default=None)
    cable_pulled_at = PlausibleDateTimeField(required=False, allow_null=True, default=None)
    first_aid_confirmed_at = PlausibleDateTimeField(required=False, allow_null=True, default=None)
    description = text(20000)
    reporter_name = text(200)
    reporter_email = serializers.EmailField(max_length=254, allow_blank=True, required=False)
    eml = serializers.FileField(required=False, help_text=_("The reported email as .eml"))

    def to_input(self) -> ReportInput:
        data = {k: v for k, v in self.validated_data.items() if k != "eml"}
        return ReportInput(**data)


# --- Triage queue -------------------------------------------------------------------------------


class EventReportSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "number",
            "reporter_name",
            "received_at",
            "what_happened",
            "matched",
            "intake_problem",
        ]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    triaged_by = PersonSerializer(read_only=True)
    # Stored as codes; read in words, in the request's language.
    priority_reason = serializers.CharField(source="priority_reason_text", read_only=True)
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
    stores = ends_in(Incident, impact="incidents.Event.impact")

    category = choice(e.Category.choices, required=False)
    impact = choice(e.Impact.choices, required=False)
    title = text(200)


class EventAttachSerializer(serializers.Serializer):
    stores = NOTHING

    incident = serializers.SlugRelatedField(slug_field="ref", queryset=Incident.objects.none())
    new_message = serializers.BooleanField(
        default=False,
        help_text=_(
            "The item's email is a new variant of the campaign (another sender, subject or "
            "attachment): record it as a message of its own"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["incident"].queryset = selectors.incidents_visible_to(request.user)


# Named choice subset: its own schema enum (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
CLOSING_EVENT_STATUSES = [
    (s, label)
    for s, label in e.EventStatus.choices
    if s in {e.EventStatus.NOT_INCIDENT, e.EventStatus.DUPLICATE, e.EventStatus.TRANSFERRED}
]


class EventCloseSerializer(serializers.Serializer):
    stores = ends_in(Event, note="incidents.Event.disposition_note")

    status = choice(CLOSING_EVENT_STATUSES)
    disposition = choice(e.Disposition.choices)
    note = text(5000)
