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

        from accounts import selectors, two_factor

        # The two-factor gate runs on every page: whether the user has a factor comes with the
        # signed-in user's read (issue 20).
        selectors.SIGNED_IN_EXTRAS[two_factor.ENROLLED] = two_factor.enrolled_subquery
