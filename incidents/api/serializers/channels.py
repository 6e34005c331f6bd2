"""Security-tool alert sources over the API: list, add, rotate the address and secret, disable."""

from __future__ import annotations

from rest_framework import serializers

from common.columns import NOTHING, ends_in
from incidents.models import AlertFormat, AlertSource


class AlertSourceSerializer(serializers.ModelSerializer):
    """A source as listed: never its address token or its secret."""

    alerts = serializers.IntegerField(read_only=True, default=0)
    last_alert_at = serializers.DateTimeField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = AlertSource
        fields = [
            "id",
            "name",
            "format",
            "replay_window_seconds",
            "repeat_window_seconds",
            "disabled_at",
            "created_at",
            "alerts",
            "last_alert_at",
        ]
        read_only_fields = fields


class AlertSourceCreateSerializer(serializers.Serializer):
    """A new source; the windows are bounded as on the settings page."""

    stores = ends_in(AlertSource)

    name = serializers.CharField(max_length=100)
    format = serializers.ChoiceField(choices=AlertFormat.choices)
    replay_window_seconds = serializers.IntegerField(min_value=30, max_value=3600, default=300)
    repeat_window_seconds = serializers.IntegerField(
        min_value=0, max_value=30 * 86400, default=86400
    )


class AlertSourceCredentialsSerializer(serializers.Serializer):
    """The webhook address and the signing secret: answered once, when added or rotated."""

    stores = NOTHING

    source = AlertSourceSerializer(read_only=True)
    webhook_url = serializers.URLField(read_only=True)
    secret = serializers.CharField(read_only=True)
