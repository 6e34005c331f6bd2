from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from accounts import selectors as accounts_selectors
        from accounts.authentication import load_with_organisation
        from common import events
        from incidents import extensions
        from notifications.selectors import BELL, bell_subquery
        from notifications.services.mailbox_reply import failed_count, on_replied
        from notifications.services.routing import on_event
        from notifications.services.staff_mail import on_mailed
        from notifications.timeline import DESCRIBERS, LABELS, SENTENCES

        # Every domain event: the handler writes the outbox rows in the publisher's transaction.
        for name in events.EVENTS:
            events.subscribe(name, on_event)
        # A staff warning to the organisation's address list, over the alert transport.
        events.subscribe("communication.mailed", on_mailed)
        # The reply to whoever forwarded a message to the reporting mailbox, to that address.
        events.subscribe("mailbox.replied", on_replied)
        extensions.register_mailbox_reply_failures(failed_count)
        # The policy (quiet hours, campaign step) comes with an API key's organisation.
        load_with_organisation("notification_policy")
        extensions.register_timeline_labels(LABELS)
        extensions.register_timeline_describers(DESCRIBERS)
        extensions.register_timeline_sentences(SENTENCES)
        # The header's bell is read with the signed-in user (one query for every page's frame).
        accounts_selectors.SIGNED_IN_EXTRAS[BELL] = bell_subquery
