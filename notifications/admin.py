"""Admin: configuration is editable, the record of alerts and deliveries is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from notifications.models import (
    Alert,
    Channel,
    DeliveryAttempt,
    Notification,
    NotificationPolicy,
    Subscription,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    # The URL and secret are set through the API (checked, encrypted); only the hint shows.
    list_display = ["name", "kind", "organisation", "url_hint", "enabled"]
    list_filter = ["kind", "enabled"]
    fields = ["organisation", "kind", "name", "url_hint", "enabled"]
    readonly_fields = ["kind", "url_hint"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["event", "audience", "role", "min_level", "needs_ack", "every_channel"]
    list_filter = ["organisation", "event", "needs_ack"]


@admin.register(NotificationPolicy)
class NotificationPolicyAdmin(admin.ModelAdmin):
    list_display = ["organisation", "quiet_start", "quiet_end", "campaign_every"]


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["id", "event", "incident", "needs_ack", "escalation_step", "acknowledged_by"]
    list_filter = ["event", "needs_ack"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["id", "alert", "recipient", "channel", "state", "attempts", "delivered_at"]
    list_filter = ["state"]


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyAdmin):
    list_display = ["notification", "number", "channel", "outcome", "status_code", "duration_ms"]
    list_filter = ["outcome"]
