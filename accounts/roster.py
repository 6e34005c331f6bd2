"""Who holds a role at a moment: the priority chain with delegations and absences (rule D-2).

The assignments, the delegations in force and the absences, read in one statement
(``common.fold``), so resolving a chain costs one query whatever its length — and so does every
role's chain at once (``chains``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import Absence, Delegation, Organisation, RoleAssignment, User
from common.fold import fold


@dataclass(frozen=True)
class Holder:
    user: User
    rank: int
    scope: frozenset[str]  # empty = every decision type
    delegated_from: User | None = None
    absent: bool = False

    def covers(self, decision_type: str | None) -> bool:
        return decision_type is None or not self.scope or decision_type in self.scope

    @property
    def available(self) -> bool:
        return not self.absent


def chain(*, organisation: Organisation, role: str, at: datetime) -> list[Holder]:
    """The holders of ``role`` at ``at``, primary first; a delegate stands before its delegator."""
    return chains(organisation=organisation, at=at, roles=[role]).get(role, [])


def chains(
    *, organisation: Organisation, at: datetime, roles: list[str] | None = None
) -> dict[str, list[Holder]]:
    """Every staffed role's chain at ``at`` (or only ``roles``'): the assignments, the
    delegations in force and the absences, read in one statement (``chain_parts``; issue 20:
    the dashboard's roster read three queries per role, then three)."""
    return chains_from(fold(chain_parts(organisation=organisation, at=at, roles=roles)))


def chain_parts(
    *, organisation: Organisation, at: datetime, roles: list[str] | None = None
) -> dict[str, QuerySet[Any]]:
    """The three reads of ``chains``, as parts for ``common.fold`` (the home page folds them
    with its tiles): the absences are those of the people the other two name."""
    assignments = RoleAssignment.objects.filter(organisation=organisation)
    delegations = Delegation.objects.filter(
        organisation=organisation, starts_at__lte=at, ends_at__gt=at
    )
    if roles is not None:
        assignments = assignments.filter(role__in=roles)
        delegations = delegations.filter(role__in=roles)
    named = Q(user_id__in=assignments.values("user_id")) | Q(
        user_id__in=delegations.values("delegate_id")
    )
    return {
        "roster_assigned": assignments.order_by("role", "priority").select_related("user"),
        "roster_delegated": delegations.order_by("pk").select_related("delegate", "delegator"),
        "roster_absent": Absence.objects.filter(named, starts_at__lte=at, ends_at__gt=at)
        .order_by()
        .values("user_id"),
    }


def chains_from(rows: dict[str, Any]) -> dict[str, list[Holder]]:
    """The chains from the rows of ``chain_parts`` already read."""
    assigned: list[RoleAssignment] = rows["roster_assigned"]
    delegated: list[Delegation] = rows["roster_delegated"]
    absent = {row["user_id"] for row in rows["roster_absent"]}
    staffed = dict.fromkeys(a.role for a in assigned)
    return {
        role: _holders(
            [a for a in assigned if a.role == role],
            [d for d in delegated if d.role == role],
            absent,
        )
        for role in staffed
    }


def _holders(
    assignments: list[RoleAssignment], delegations: list[Delegation], absent: set[int]
) -> list[Holder]:
    holders: list[Holder] = []
    for assignment in assignments:
        scope = frozenset(assignment.authority_scope or [])
        for delegation in delegations:
            if delegation.delegator_id == assignment.user_id:
                holders.append(
                    Holder(
                        delegation.delegate,
                        assignment.priority,
                        scope,
                        delegated_from=assignment.user,
                        absent=delegation.delegate_id in absent,
                    )
                )
        holders.append(
            Holder(assignment.user, assignment.priority, scope, absent=assignment.user_id in absent)
        )
    return holders


def first_available(
    holders: list[Holder], decision_type: str | None = None, after: int = -1
) -> tuple[int, Holder] | None:
    """The first holder after position ``after`` who is present and may take the type."""
    for index, holder in enumerate(holders):
        if index > after and holder.available and holder.covers(decision_type):
            return index, holder
    return None


def position_of(holders: list[Holder], user_id: int | None) -> int:
    for index, holder in enumerate(holders):
        if holder.user.pk == user_id:
            return index
    return -1


def holder_for(holders: list[Holder], user: User, decision_type: str | None) -> Holder | None:
    """The best place ``user`` has in the chain for this type (present or not)."""
    for holder in holders:
        if holder.user.pk == user.pk and holder.covers(decision_type):
            return holder
    return None
