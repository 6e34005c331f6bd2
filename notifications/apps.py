from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from common import events
        from notifications.services.routing import on_event

        # Every domain event: the handler writes the outbox rows in the publisher's transaction.
        for name in events.EVENTS:
            events.subscribe(name, on_event)
