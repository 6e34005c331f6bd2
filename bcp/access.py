"""Who may see and change the roster, the BCP plan and the decisions. Checked by services.

The roster (assignments, absences, delegations) and the BCP plan are the ISMS office's to keep;
everybody who holds a role reads them, so that a deputy knows when they stand in. Deciding is
not a permission of this module: the role chain decides who may decide (``decision_decide``).
"""

from __future__ import annotations

from accounts.models import User
from accounts.roles import Role
from incidents import access as incident_access

ROSTER_KEEPERS = frozenset({Role.ISMS_OFFICE})
# People with any role, and integrations that may read (e.g. a paging tool that needs the chain).
ROSTER_READERS = frozenset({*Role.values, incident_access.INTEGRATION_READ})


def _member(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.organisation_id is not None


def _has(user: User, roles: frozenset[str]) -> bool:
    return _member(user) and (user.is_superuser or bool(incident_access.roles_of(user) & roles))


def can_manage_roster(user: User) -> bool:
    """The ISMS office keeps the roster and the BCP plan; an integration never does."""
    if incident_access.integration_scope(user) is not None:
        return False
    return _has(user, ROSTER_KEEPERS)


def can_see_roster(user: User) -> bool:
    return _has(user, ROSTER_READERS)


def roles_held(user: User) -> frozenset[str]:
    """The roles a person holds by assignment (delegations are resolved per moment)."""
    if not _member(user) or incident_access.integration_scope(user) is not None:
        return frozenset()
    return incident_access.roles_of(user) & frozenset(Role.values)
