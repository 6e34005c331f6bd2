"""Serializers of a campaign's mail messages and of related incidents."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.columns import NOTHING, ends_in
from incidents import selectors
from incidents.models import Incident, IncidentRelation, MailMessage, RelationKind

# --- Mail messages ------------------------------------------------------------------------------


class MailMessageSerializer(serializers.ModelSerializer):
    """One email of the campaign with its own counters (X-4, per message)."""

    mail_delivered_count = serializers.IntegerField(read_only=True)
    mail_reported_count = serializers.IntegerField(read_only=True)
    mail_executed_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = MailMessage
        fields = [
            "id",
            "sender",
            "subject",
            "attachment_name",
            "sha256",
            "url",
            "message_id",
            "first_seen",
            "last_seen",
            "mail_delivered_count",
            "mail_reported_count",
            "mail_executed_count",
        ]
        read_only_fields = fields


class MailMessageCreateSerializer(serializers.Serializer):
    """A further email of the campaign (a new variant); at least one identifying field."""

    stores = ends_in(MailMessage)

    sender = serializers.CharField(required=False, allow_blank=True, max_length=320)
    subject = serializers.CharField(required=False, allow_blank=True, max_length=998)
    attachment_name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    sha256 = serializers.RegexField(
        r"^[0-9a-fA-F]{64}$", required=False, allow_blank=True, max_length=64
    )
    url = serializers.URLField(required=False, allow_blank=True, max_length=2000)
    message_id = serializers.CharField(required=False, allow_blank=True, max_length=998)


# --- Related incidents --------------------------------------------------------------------------


class IncidentRelationSerializer(serializers.Serializer):
    """A link as seen from this incident: ``outgoing`` (this incident is ``kind`` the other) or
    ``incoming`` (the other is ``kind`` this one); ``label`` reads it in the user's language."""

    stores = NOTHING

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=RelationKind.choices)
    direction = serializers.ChoiceField(
        choices=[("outgoing", "outgoing"), ("incoming", "incoming")]
    )
    label = serializers.CharField()
    incident = serializers.CharField(help_text=_("The other incident's reference"))
    title = serializers.CharField()
    status = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class IncidentRelationCreateSerializer(serializers.Serializer):
    stores = ends_in(IncidentRelation, nowhere=("incident",))

    incident = serializers.SlugRelatedField(
        slug_field="ref",
        queryset=Incident.objects.none(),
        help_text=_("The other incident: this incident is <kind> that one"),
    )
    kind = serializers.ChoiceField(choices=RelationKind.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["incident"].queryset = selectors.incidents_visible_to(request.user)


__all__ = [
    "IncidentRelationCreateSerializer",
    "IncidentRelationSerializer",
    "MailMessageCreateSerializer",
    "MailMessageSerializer",
]
