"""Who may manage the organisation's API keys (issue 3 §10), its people and departments
(issue 15): the ISMS office."""

from __future__ import annotations

from accounts.models import RoleAssignment, User
from accounts.roles import Role


def can_manage_api_keys(user: User) -> bool:
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return False
    if getattr(user, "api_key_scope", None) is not None:
        return False  # an integration never mints keys, whatever it holds
    return (
        user.is_superuser
        or RoleAssignment.objects.filter(
            user=user, organisation_id=user.organisation_id, role=Role.ISMS_OFFICE
        ).exists()
    )


def can_manage_people(user: User) -> bool:
    """Invite and deactivate people, keep the departments: the ISMS office only (not a superuser
    without the role, not an integration)."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return False
    if getattr(user, "api_key_scope", None) is not None or not user.is_active:
        return False
    return RoleAssignment.objects.filter(
        user=user, organisation_id=user.organisation_id, role=Role.ISMS_OFFICE
    ).exists()
