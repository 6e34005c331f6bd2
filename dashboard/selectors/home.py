from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import RoleAssignment, User


def roles_of(*, user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=user).order_by("role", "priority")
