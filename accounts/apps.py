from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import stamp_session_start

        # Stamped at sign-in, not on the first request after it: the session lifetime counts
        # from the real sign-in, and a fresh session is not written again on its first page.
        user_logged_in.connect(stamp_session_start, dispatch_uid="accounts.stamp_session_start")
