"""Who may do what with the incident record. Checked in selectors and services, not views.

Everything is scoped to the user's organisation; objects a user may not see answer 404.

Integrations authenticate with an API key as the key's own service user, which holds no roles.
``ApiKeyAuthentication`` marks that user with ``api_key_scope``; the scope stands in for roles
here: READ sees every incident of the organisation (and files nothing), WRITE also files reports
and records facts on incidents (assets, indicators, deliveries, tasks, evidence). Neither
triages, moves the lifecycle or decides: those stay with people.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from accounts import selectors as accounts_selectors
from accounts.models import ApiKeyScope, User
from accounts.roles import Role
from common.errors import Forbidden
from incidents import extensions

# What an API key's scope grants, in place of roles (see the module docstring).
INTEGRATION_READ = "integration:read"
INTEGRATION_WRITE = "integration:write"
SCOPE_GRANTS = {
    ApiKeyScope.READ: frozenset({INTEGRATION_READ}),
    ApiKeyScope.WRITE: frozenset({INTEGRATION_READ, INTEGRATION_WRITE}),
}
# Roles that see every incident of their organisation (issue 3 §9, plus the IT staff and the
# PoC who run the first response in an SME). Others see an incident only as an assigned handler.
INCIDENT_VIEWERS = frozenset(
    {
        INTEGRATION_READ,
        Role.ISMS_OFFICE,
        Role.INCIDENT_HANDLER,
        Role.CSIRT_LEAD,
        Role.DECISION_MAKER,
        Role.IT_ADMIN,
        Role.POC,
    }
)
INCIDENT_EDITORS = frozenset(
    {
        INTEGRATION_WRITE,
        Role.ISMS_OFFICE,
        Role.INCIDENT_HANDLER,
        Role.CSIRT_LEAD,
        Role.IT_ADMIN,
    }
)
TRIAGERS = frozenset({Role.ISMS_OFFICE, Role.POC, Role.CSIRT_LEAD})
TRANSITIONERS = frozenset({Role.ISMS_OFFICE, Role.INCIDENT_HANDLER, Role.CSIRT_LEAD})
INTAKE_ADMINS = frozenset({Role.ISMS_OFFICE})
# Roles held by people from outside the organisation (the IT vendor under contract): a task
# addressed to the role opens no incident to them; they see the incidents they are assigned to
# by name (a task owned by them, handler, CSIRT lead), and only those.
ASSIGNED_ONLY = frozenset({Role.EXTERNAL_RESPONDER})
# Reopening a closed incident undoes a management act: the CSIRT lead's call (issue 14).
REOPENERS = frozenset({Role.CSIRT_LEAD})


class PermissionDeniedError(Forbidden):
    """The user may see the object but not do this to it (HTTP 403)."""


def integration_scope(user: User | AnonymousUser) -> str | None:
    """The scope of the API key the request authenticated with; None for people."""
    return getattr(user, "api_key_scope", None)


def roles_of(user: User | AnonymousUser) -> frozenset[str]:
    """The user's roles (or an integration's grants), read once per request object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        scope = integration_scope(user)
        if scope is not None:
            cached = SCOPE_GRANTS.get(scope, frozenset())
        else:
            cached = frozenset(a.role for a in accounts_selectors.role_assignments_of(user))
        user._role_cache = cached  # type: ignore[union-attr]
    return cached


def _has(user: User, roles: frozenset[str]) -> bool:
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return False
    return user.is_superuser or bool(roles_of(user) & roles)


def sees_all_incidents(user: User) -> bool:
    return _has(user, INCIDENT_VIEWERS)


def can_edit_incidents(user: User) -> bool:
    return _has(user, INCIDENT_EDITORS)


def can_add_evidence(user: User, incident: object) -> bool:
    """Editors, and an outside responder invited to this incident to contribute (comms)."""
    return can_edit_incidents(user) or extensions.contributes_to(user, incident)


def can_record_facts(user: User, incident: object) -> bool:
    """Editors, and an outside responder invited to this incident to contribute (comms): the
    same findings the responders record (an infection, external communication, a leak)."""
    return can_edit_incidents(user) or extensions.contributes_to(user, incident)


def can_triage(user: User) -> bool:
    return _has(user, TRIAGERS)


def can_transition(user: User) -> bool:
    return _has(user, TRANSITIONERS)


def can_reopen(user: User) -> bool:
    return _has(user, REOPENERS)


def can_manage_intake(user: User) -> bool:
    return _has(user, INTAKE_ADMINS)


def require(allowed: bool, action: str) -> None:
    if not allowed:
        raise PermissionDeniedError("permission_denied", f"Not allowed: {action}.")
