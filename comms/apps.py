from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommsConfig(AppConfig):
    name = "comms"
    verbose_name = _("Communications")

    def ready(self) -> None:
        from comms import records
        from comms.timeline import DESCRIBERS, LABELS, SENTENCES
        from incidents import completion, extensions

        for name, condition in records.CONDITIONS.items():
            completion.register_condition(name, condition)
        extensions.register_timeline_labels(LABELS)
        extensions.register_timeline_describers(DESCRIBERS)
        extensions.register_timeline_sentences(SENTENCES)

        from comms.services import guests

        extensions.register_visibility_limit(guests.visibility_limit)
        extensions.register_contributor(guests.contributes_to)

        from accounts import two_factor

        two_factor.register_immediate_requirement(guests.needs_second_factor)
        # Whether the user is a guest comes with the signed-in user's read (issue 20).
        from accounts import selectors as accounts_selectors

        accounts_selectors.SIGNED_IN_EXTRAS[guests.GUEST] = guests.guest_subquery

        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(guests.remember_at_sign_in, dispatch_uid="comms_guest_session")
