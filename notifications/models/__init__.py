"""The alerts' data: channels and subscriptions (configuration), alerts, the outbox, attempts."""

from notifications.models.alerts import Alert, DeliveryAttempt, Notification
from notifications.models.config import Channel, NotificationPolicy, Subscription

__all__ = [
    "Alert",
    "Channel",
    "DeliveryAttempt",
    "Notification",
    "NotificationPolicy",
    "Subscription",
]
