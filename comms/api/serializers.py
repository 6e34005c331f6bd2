"""Serializers of the communications API. Outputs are read-only; inputs carry only what a client
may set; the services enforce N-4, the transition table and the announcement decision."""

from __future__ import annotations

from datetime import timedelta

from rest_framework import serializers

from common.columns import ends_in
from comms.enums import Audience, Channel, ContactKind, GuestRole, Status, TemplateKind
from comms.models import (
    Communication,
    CommunicationVersion,
    ExternalContact,
    GuestInvitation,
    MessageTemplate,
)
from incidents.api.serializers.fields import PersonSerializer, PlausibleDateTimeField
from incidents.models.enums import Tlp

BODY_MAX = 20000


class CommunicationSerializer(serializers.ModelSerializer):
    incident = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    approved_by = PersonSerializer(read_only=True, allow_null=True)
    sent_by = PersonSerializer(read_only=True, allow_null=True)
    created_by = PersonSerializer(read_only=True, allow_null=True)
    announcement = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The APPROVED PUBLIC_ANNOUNCEMENT decision."
    )

    class Meta:
        model = Communication
        fields = [
            "id",
            "incident",
            "audience",
            "audience_detail",
            "channel",
            "tlp",
            "subject",
            "body",
            "template_kind",
            "status",
            "version",
            "approved_by",
            "approved_at",
            "announcement",
            "sent_at",
            "sent_by",
            "reference",
            "cancel_reason",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CommunicationCreateSerializer(serializers.Serializer):
    """Either the message itself, or ``template`` (+ ``language``) for a draft pre-filled from
    the record."""

    stores = ends_in(Communication, nowhere=("template", "language"))

    template = serializers.ChoiceField(choices=TemplateKind.choices, required=False)
    language = serializers.ChoiceField(choices=["ja", "en"], required=False, default="ja")
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    audience_detail = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, default="EMAIL")
    tlp = serializers.ChoiceField(
        choices=Tlp.choices,
        required=False,
        default="",
        allow_blank=True,
        help_text="Blank: the audience's default (rule N-4).",
    )
    subject = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    body = serializers.CharField(max_length=BODY_MAX, required=False, default="", allow_blank=True)

    def validate(self, attrs):  # type: ignore[no-untyped-def]
        if not attrs.get("template") and not attrs.get("audience"):
            raise serializers.ValidationError(
                {"audience": ["Give an audience, or a template to draft from."]}
            )
        return attrs


class CommunicationUpdateSerializer(serializers.Serializer):
    stores = ends_in(Communication)

    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    audience_detail = serializers.CharField(max_length=200, required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    tlp = serializers.ChoiceField(choices=Tlp.choices, required=False)
    subject = serializers.CharField(max_length=300, required=False)
    body = serializers.CharField(max_length=BODY_MAX, required=False, allow_blank=True)


class CommunicationStatusSerializer(serializers.Serializer):
    stores = ends_in(Communication, nowhere=("status", "reason"))

    status = serializers.ChoiceField(choices=Status.choices)
    reference = serializers.CharField(
        max_length=300,
        required=False,
        default="",
        allow_blank=True,
        help_text="When SENT: how it went and where it is kept (URL, mail ID, receipt number).",
    )
    reason = serializers.CharField(
        max_length=2000, required=False, default="", allow_blank=True, help_text="When CANCELLED."
    )


class CommunicationVersionSerializer(serializers.ModelSerializer):
    edited_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CommunicationVersion
        fields = [
            "number",
            "audience",
            "channel",
            "tlp",
            "subject",
            "body",
            "edited_by",
            "edited_at",
        ]
        read_only_fields = fields


class MessageTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = MessageTemplate
        fields = ["id", "kind", "language", "subject", "body", "updated_at"]
        read_only_fields = fields


class MessageTemplateUpdateSerializer(serializers.Serializer):
    stores = ends_in(MessageTemplate)

    subject = serializers.CharField(max_length=300)
    body = serializers.CharField(max_length=BODY_MAX)


class ExternalContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExternalContact
        fields = [
            "id",
            "kind",
            "name",
            "desk",
            "phone",
            "email",
            "url",
            "reference_no",
            "hours",
            "notes",
            "updated_at",
        ]
        read_only_fields = fields


class ExternalContactWriteSerializer(serializers.ModelSerializer):
    stores = ends_in(ExternalContact)
    kind = serializers.ChoiceField(choices=ContactKind.choices)

    class Meta:
        model = ExternalContact
        fields = ["kind", "name", "desk", "phone", "email", "url", "reference_no", "hours", "notes"]
        extra_kwargs = {"notes": {"max_length": 4000}}


class GuestInvitationSerializer(serializers.ModelSerializer):
    """An outside responder's invitation to one incident; ``state`` is pending (link not opened),
    active, expired or revoked. The link's token is never returned (it is only in the mail)."""

    incident = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    invited_by = PersonSerializer(read_only=True)
    revoked_by = PersonSerializer(read_only=True, allow_null=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = GuestInvitation
        fields = [
            "id",
            "incident",
            "email",
            "name",
            "role",
            "expires_at",
            "tlp_ceiling",
            "state",
            "invited_by",
            "created_at",
            "accepted_at",
            "revoked_at",
            "revoked_by",
        ]
        read_only_fields = fields

    def get_state(self, found: GuestInvitation) -> str:
        from comms.services.guests import state_of

        return state_of(found)


class GuestInvitationCreateSerializer(serializers.Serializer):
    stores = ends_in(GuestInvitation)

    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    role = serializers.ChoiceField(choices=GuestRole.choices, default=GuestRole.READ)
    expires_at = PlausibleDateTimeField(future=timedelta(days=91))
    tlp_ceiling = serializers.ChoiceField(choices=Tlp.choices, default=Tlp.AMBER)
