"""Permission classes of the incident API; the policy itself lives in ``incidents.access``.

An object the user may not see answers 404 before any 403: the selectors raise Http404, and the
action check runs on the object (after the lookup) or after the parent incident's lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from accounts.authentication import ApiKeyScopePermission
from accounts.models import User

Predicate = Callable[[User], bool]


class ActionPolicy(permissions.BasePermission):
    """Checks ``view.action_policy[view.action]`` (an ``incidents.access`` predicate)."""

    message = _("You are not allowed to do this.")
    code = "permission_denied"

    def has_permission(self, request: Request, view: Any) -> bool:
        if view.detail:
            return True  # checked in has_object_permission, after the 404 of an unseen object
        parent = getattr(view, "get_incident", None)
        if parent is not None:
            parent()  # 404 for an incident the user may not see
        return self._allowed(request, view)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return self._allowed(request, view)

    def _allowed(self, request: Request, view: Any) -> bool:
        predicate: Predicate | None = getattr(view, "action_policy", {}).get(view.action)
        return predicate is None or predicate(request.user)


API_PERMISSIONS = (permissions.IsAuthenticated, ApiKeyScopePermission, ActionPolicy)
