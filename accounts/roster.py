"""Who holds a role at a moment: the priority chain with delegations and absences (rule D-2).

One query for the assignments, one for the delegations in force and one for the absences, so
resolving a chain costs three queries whatever its length — and so does every role's chain at
once (``chains``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from accounts.models import Absence, Delegation, Organisation, RoleAssignment, User


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
    """Every staffed role's chain at ``at`` (or only ``roles``'), in the same three queries as
    one chain: the assignments, the delegations in force, the absences (issue 20: the
    dashboard's roster read three per role)."""
    assignments = RoleAssignment.objects.filter(organisation=organisation)
    delegations = Delegation.objects.filter(
        organisation=organisation, starts_at__lte=at, ends_at__gt=at
    )
    if roles is not None:
        assignments = assignments.filter(role__in=roles)
        delegations = delegations.filter(role__in=roles)
    assigned = list(assignments.order_by("role", "priority").select_related("user"))
    delegated = list(delegations.select_related("delegate", "delegator"))
    people = {a.user_id for a in assigned} | {d.delegate_id for d in delegated}
    absent = set(
        Absence.objects.filter(user_id__in=people, starts_at__lte=at, ends_at__gt=at).values_list(
            "user_id", flat=True
        )
    )
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
