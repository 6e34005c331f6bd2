"""Who may do what with the alerts. Everyone sees and acknowledges the alerts sent to them;
the ISMS office configures the channels and sees every notification and attempt of the
organisation. Integrations (API keys) hold no roles and see nothing here."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from accounts.roles import Role
from incidents.access import integration_scope, roles_of


def is_person(user: User | AnonymousUser) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.organisation_id is not None  # type: ignore[union-attr]
        and integration_scope(user) is None
    )


def can_manage_alerts(user: User | AnonymousUser) -> bool:
    if not is_person(user):
        return False
    return user.is_superuser or Role.ISMS_OFFICE in roles_of(user)  # type: ignore[union-attr]
