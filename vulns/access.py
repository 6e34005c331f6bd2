"""Who reads and who changes vulnerability information. Checked by selectors and services.

Those who see every incident (the ISMS office, the CSIRT lead, handlers, decision makers) and
the IT administrators, who keep the inventory, read it; incident editors (which include the IT
administrators) record software, import advisories and change a finding's status.
"""

from __future__ import annotations

from accounts.models import User
from accounts.roles import Role
from incidents import access as incident_access
from incidents.access import PermissionDeniedError


def can_read(user: User) -> bool:
    if incident_access.integration_scope(user) is not None:
        return False
    return incident_access.sees_all_incidents(user) or (
        getattr(user, "is_authenticated", False)
        and user.organisation_id is not None
        and Role.IT_ADMIN in incident_access.roles_of(user)
    )


def can_write(user: User) -> bool:
    return incident_access.integration_scope(user) is None and incident_access.can_edit_incidents(
        user
    )


def can_export_vex(user: User) -> bool:
    """A VEX document goes to a customer: the ISMS office writes to customers (issue 23)."""
    return can_read(user) and Role.ISMS_OFFICE in incident_access.roles_of(user)


def require_read(user: User) -> None:
    incident_access.require(can_read(user), "read vulnerability information")


def require_export_vex(user: User) -> None:
    incident_access.require(can_export_vex(user), "export VEX")


def require_write(user: User) -> None:
    incident_access.require(can_write(user), "change vulnerability information")


__all__ = [
    "PermissionDeniedError",
    "can_export_vex",
    "can_read",
    "can_write",
    "require_read",
    "require_write",
]
