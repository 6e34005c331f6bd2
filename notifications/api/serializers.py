"""Serializers of the alerts API (module-level, unique names for drf-spectacular)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.columns import NOTHING, ends_in
from notifications.enums import ChannelKind
from notifications.models import Alert, Channel, DeliveryAttempt, Notification


class AlertSummarySerializer(serializers.ModelSerializer):
    event_label = serializers.CharField(read_only=True)
    incident = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    acknowledged_by = serializers.StringRelatedField()
    unacknowledged = serializers.SerializerMethodField(
        help_text=_("Escalated to the end of the chain without acknowledgement.")
    )

    class Meta:
        model = Alert
        fields = [
            "id",
            "event",
            "event_label",
            "incident",
            "level",
            "needs_ack",
            "ack_due_at",
            "escalation_step",
            "acknowledged_at",
            "acknowledged_by",
            "acknowledged_via",
            "unacknowledged",
            "resolved_at",
            "payload",
            "created_at",
        ]

    def get_unacknowledged(self, alert: Alert) -> bool:
        return alert.exhausted_at is not None and alert.acknowledged_at is None


class NotificationSerializer(serializers.ModelSerializer):
    alert = AlertSummarySerializer()
    recipient = serializers.StringRelatedField()
    channel = serializers.CharField(source="channel.kind", read_only=True)
    channel_name = serializers.CharField(source="channel.name", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "alert",
            "recipient",
            "channel",
            "channel_name",
            "step",
            "state",
            "attempts",
            "next_attempt_at",
            "delivered_at",
            "last_error",
            "idempotency_key",
            "created_at",
        ]


class AlertChannelSerializer(serializers.ModelSerializer):
    url_hint = serializers.CharField(
        read_only=True, help_text=_("Scheme, host and the URL's last characters only.")
    )

    class Meta:
        model = Channel
        fields = ["id", "kind", "name", "url_hint", "enabled", "created_at", "updated_at"]


class AlertChannelCreateSerializer(serializers.Serializer):
    stores = ends_in(Channel, url="notifications.Channel.url_encrypted")

    kind = serializers.ChoiceField(choices=ChannelKind.choices)
    name = serializers.CharField(max_length=100)
    url = serializers.CharField(max_length=2000, required=False, allow_blank=True, write_only=True)


class AlertChannelUpdateSerializer(serializers.Serializer):
    stores = ends_in(Channel, url="notifications.Channel.url_encrypted")

    name = serializers.CharField(max_length=100, required=False)
    url = serializers.CharField(max_length=2000, required=False, write_only=True)
    enabled = serializers.BooleanField(required=False)


class AlertChannelCreatedSerializer(AlertChannelSerializer):
    signing_secret = serializers.SerializerMethodField(
        help_text=_("Shown this once: keep it to verify the webhook's signature.")
    )

    class Meta(AlertChannelSerializer.Meta):
        fields = [*AlertChannelSerializer.Meta.fields, "signing_secret"]

    def get_signing_secret(self, channel: Channel) -> str:
        return str(self.context.get("signing_secret", ""))


class AlertChannelSecretSerializer(serializers.Serializer):
    stores = NOTHING

    signing_secret = serializers.CharField()


class DeliveryAttemptSerializer(serializers.ModelSerializer):
    channel = serializers.CharField(source="channel.kind", read_only=True)

    class Meta:
        model = DeliveryAttempt
        fields = [
            "id",
            "notification",
            "number",
            "channel",
            "started_at",
            "outcome",
            "status_code",
            "error",
            "duration_ms",
        ]


def created_payload(channel: Channel, secret: str) -> dict[str, Any]:
    return AlertChannelCreatedSerializer(channel, context={"signing_secret": secret}).data
