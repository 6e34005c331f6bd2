"""The sign-in backend: Django's ``ModelBackend`` whose per-request user read also brings the
organisation and the user's role assignments (issue 20: every page pays for the signed-in user,
so one query instead of three — user, organisation, roles)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from accounts import selectors


class RequestUserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user = selectors.signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
