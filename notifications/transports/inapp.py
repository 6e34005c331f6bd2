"""In-app: the notification row is the message; the bell and /notifications/ show it."""

from __future__ import annotations

from accounts.models import User
from notifications.models import Notification
from notifications.transports.base import Message, Transport, TransportError


class InAppTransport(Transport):
    """Delivered by the commit that wrote the row (outbox.notifications_write), no worker."""

    def notify(self, notification: Notification, message: Message) -> None:
        self.check(notification.recipient)

    @staticmethod
    def check(recipient: User) -> None:
        if not recipient.is_active:
            raise TransportError("the recipient's account is inactive", permanent=True)
