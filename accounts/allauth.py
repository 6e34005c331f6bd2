"""How django-allauth fits this site: no self sign-up, the site's own login page and messages."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest

from accounts.models import User

# allauth's "signed in as …" / "signed out" notices: the dashboard is answer enough.
QUIET_MESSAGES = {"account/messages/logged_in.txt", "account/messages/logged_out.txt"}


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts are made by the ISMS office (or single sign-on), never by a visitor."""
        return False

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        if message_template in QUIET_MESSAGES:
            return
        super().add_message(
            request, level, message_template, message_context, extra_tags, message=message
        )


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_label(self, user: User) -> str:  # type: ignore[override]
        """The name the authenticator app shows: the user name, not the email."""
        return user.get_username()

    def _get_site_name(self) -> str:
        return self.get_totp_issuer()
