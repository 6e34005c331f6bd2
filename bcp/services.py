from __future__ import annotations

from django.db import transaction

from accounts.models import Organisation, User
from bcp.models import RoleAssignment


@transaction.atomic
def role_assign(
    *,
    organisation: Organisation,
    role: str,
    user: User,
    priority: int = 1,
    authority_scope: list[str] | None = None,
) -> RoleAssignment:
    assignment = RoleAssignment(
        organisation=organisation,
        role=role,
        user=user,
        priority=priority,
        authority_scope=authority_scope or [],
    )
    assignment.full_clean()
    assignment.save()
    return assignment
