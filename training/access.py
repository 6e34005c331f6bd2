"""Who may see and change readiness records. Checked in selectors and services, not views.

The ISMS office keeps the records (people, courses, drills, the CSIRT-function map) and runs
exercises with the CSIRT lead; management reads coverage and the review pack. Integrations
with an API key may read (READ) and also import and record completions (WRITE), like the HR or
e-learning system that feeds them.
"""

from __future__ import annotations

from django.utils.functional import Promise

from accounts.models import User
from accounts.roles import Role
from common.errors import Forbidden
from incidents.access import INTEGRATION_READ, INTEGRATION_WRITE, roles_of

StrOrPromise = str | Promise

KEEPERS = frozenset({Role.ISMS_OFFICE, INTEGRATION_WRITE})
READERS = frozenset(
    {Role.ISMS_OFFICE, Role.CSIRT_LEAD, Role.DECISION_MAKER, INTEGRATION_READ, INTEGRATION_WRITE}
)
EXERCISE_RUNNERS = frozenset({Role.ISMS_OFFICE, Role.CSIRT_LEAD})
MAP_EDITORS = frozenset({Role.ISMS_OFFICE, Role.CSIRT_LEAD})


def _has(user: User, roles: frozenset[str]) -> bool:
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return False
    return user.is_superuser or bool(roles_of(user) & roles)


def can_read(user: User) -> bool:
    return _has(user, READERS)


def can_keep_records(user: User) -> bool:
    return _has(user, KEEPERS)


def can_run_exercises(user: User) -> bool:
    return _has(user, EXERCISE_RUNNERS)


def can_edit_map(user: User) -> bool:
    return _has(user, MAP_EDITORS)


def require(allowed: bool, message: StrOrPromise) -> None:
    """Refuse with a whole translated sentence (403) when the user lacks the role."""
    if not allowed:
        raise Forbidden("permission_denied", message)
