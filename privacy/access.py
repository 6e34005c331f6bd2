"""Who may read and write data sets, assessments, obligations and PPC reports.

Checked by selectors and services. The inventory is kept by the ISMS office, legal/privacy and
IT; legal/privacy writes the APPI assessment and the PPC report; an obligation is closed by a
holder of its owner role, the CSIRT lead or the ISMS office. Reads of an incident's records
follow the incident's visibility (incidents.selectors: 404 for what one may not see).
"""

from __future__ import annotations

from accounts.models import User
from accounts.roles import Role
from incidents import access as incident_access

INVENTORY_READERS = frozenset(
    {
        Role.ISMS_OFFICE,
        Role.LEGAL_PRIVACY,
        Role.IT_ADMIN,
        Role.CSIRT_LEAD,
        Role.INCIDENT_HANDLER,
        Role.DECISION_MAKER,
        Role.POC,
        incident_access.INTEGRATION_READ,
    }
)
INVENTORY_WRITERS = frozenset({Role.ISMS_OFFICE, Role.LEGAL_PRIVACY, Role.IT_ADMIN})
APPI_WRITERS = frozenset({Role.LEGAL_PRIVACY, Role.ISMS_OFFICE})
OBLIGATION_CLOSERS = frozenset({Role.ISMS_OFFICE, Role.CSIRT_LEAD, Role.LEGAL_PRIVACY})


def _roles(user: User) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return frozenset()
    return incident_access.roles_of(user)


def can_read_inventory(user: User) -> bool:
    return bool(_roles(user) & INVENTORY_READERS) or getattr(user, "is_superuser", False)


def can_write_inventory(user: User) -> bool:
    return incident_access.integration_scope(user) is None and bool(
        _roles(user) & INVENTORY_WRITERS
    )


def can_record_leaks(user: User) -> bool:
    return incident_access.can_edit_incidents(user) or Role.LEGAL_PRIVACY in _roles(user)


def can_write_appi(user: User) -> bool:
    return incident_access.integration_scope(user) is None and bool(_roles(user) & APPI_WRITERS)


def can_record_obligations(user: User) -> bool:
    """Recording an obligation by hand is the response team's or legal's: a role that only
    holds an obligation (PR, a department manager) closes it but records none."""
    return incident_access.integration_scope(user) is None and (
        incident_access.can_edit_incidents(user) or bool(_roles(user) & OBLIGATION_CLOSERS)
    )


def can_close_obligation(user: User, owner_role: str) -> bool:
    roles = _roles(user)
    return incident_access.integration_scope(user) is None and (
        owner_role in roles or bool(roles & OBLIGATION_CLOSERS)
    )


def is_legal(user: User) -> bool:
    return Role.LEGAL_PRIVACY in _roles(user)
