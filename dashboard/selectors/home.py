"""The home page: which tiles come first for whom, and the user's own work (decisions waiting
for them, their training due)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, Value, When

from accounts import selectors as accounts_selectors
from accounts.models import RoleAssignment, User
from accounts.roles import Role
from bcp import selectors as bcp_selectors
from bcp.models import Decision
from common.fold import fold
from incidents import access as incident_access
from training.enums import DueState
from training.models import Person
from training.selectors import person_training
from training.selectors.courses import CourseStatus

SHOWN = 5

# Each role's home puts its own work first; a role's list names every tile it may see (the
# tiles its permissions hide are skipped). The first role of PRECEDENCE the user holds decides.
ORGANISATION = ["incidents", "decisions", "tasks", "triage", "alerts", "bcp", "readiness", "roles"]
LAYOUTS: dict[str, list[str]] = {
    Role.ISMS_OFFICE: [
        "triage",
        "alerts",
        "tasks",
        "decisions",
        "incidents",
        "bcp",
        "readiness",
        "vulns",
        "roles",
        "my_decisions",
        "obligations",
        "my_training",
    ],
    Role.DECISION_MAKER: [
        "my_decisions",
        "decisions",
        "incidents",
        "bcp",
        "readiness",
        "roles",
        "alerts",
        "tasks",
        "triage",
        "my_training",
    ],
    Role.CSIRT_LEAD: [
        "my_decisions",
        "vulns",
        "incidents",
        "tasks",
        "decisions",
        "triage",
        "bcp",
        "alerts",
        "readiness",
        "roles",
        "my_training",
    ],
    Role.INCIDENT_HANDLER: [
        "tasks",
        "incidents",
        "triage",
        "decisions",
        "bcp",
        "my_decisions",
        "alerts",
        "vulns",
        "readiness",
        "roles",
        "my_training",
    ],
}
LAYOUTS[Role.IT_ADMIN] = LAYOUTS[Role.POC] = LAYOUTS[Role.INCIDENT_HANDLER]
# Legal, PR, department managers, outside responders and every worker: what waits for them,
# then the report button and their training.
PERSONAL = ["my_decisions", "obligations", "report", "my_training", *ORGANISATION]
PRECEDENCE = [
    Role.ISMS_OFFICE,
    Role.DECISION_MAKER,
    Role.CSIRT_LEAD,
    Role.INCIDENT_HANDLER,
    Role.IT_ADMIN,
    Role.POC,
]


def roles_of(*, user: User) -> list[RoleAssignment]:
    """The user's ranks, by role then rank (read with the signed-in user: no query)."""
    rows = accounts_selectors.role_assignments_of(user)
    return sorted(rows, key=lambda a: (a.role, a.priority))


def layout_for(roles: frozenset[str]) -> list[str]:
    """The tiles of the home page in the order the user's main role works through them."""
    for role in PRECEDENCE:
        if role in roles:
            return LAYOUTS[role]
    return PERSONAL


@dataclass(frozen=True)
class MyDecisions:
    count: int
    first: list[Decision]


def my_decisions_parts(*, user: User, at: datetime) -> dict[str, QuerySet[Any]]:
    """The reads of ``my_decisions`` for ``fold``: the first rows and the count (none for
    someone who holds no role)."""
    if not incident_access.roles_of(user):
        return {}
    inbox = bcp_selectors.decision_inbox(user=user, at=at)
    counted = Decision.objects.filter(pk__in=inbox.order_by().values("pk"))
    return {
        "my_decisions": inbox[:SHOWN],
        "my_decisions_count": counted.order_by()
        .values(_=Value(1))
        .annotate(n=Count("id"))
        .values("n"),
    }


def my_decisions(
    *, user: User, at: datetime, folded: dict[str, Any] | None = None
) -> MyDecisions | None:
    """The open decisions this user may take now (the decision inbox), most urgent first;
    None for someone who holds no role (and so never decides). ``folded``: the rows of
    ``my_decisions_parts`` already read."""
    if folded is None:
        folded = fold(my_decisions_parts(user=user, at=at))
    if "my_decisions" not in folded:
        return None
    counted = folded["my_decisions_count"]
    return MyDecisions(counted[0]["n"] if counted else 0, folded["my_decisions"])


def my_obligations_rows(*, user: User) -> QuerySet[Any]:
    """The open obligations (PPC 速報 …) of the user's roles, soonest due first (issue 16)."""
    from privacy import selectors as privacy_selectors

    rows = privacy_selectors.obligation_list(user=user, view=privacy_selectors.MINE)
    return rows.order_by(F("due_at").asc(nulls_last=True), "id")[:SHOWN]


def my_obligations(*, user: User) -> list[Any]:
    return list(my_obligations_rows(user=user))


def my_person_rows(*, user: User) -> QuerySet[Person]:
    """The user's row of the training register, for ``fold``: the person linked to the account
    first, else one with the user's address (none when the user is not in the register)."""
    people = Person.objects.filter(organisation_id=user.organisation_id, left_on__isnull=True)
    linked = Q(user=user)
    return (
        people.filter(linked | Q(email__iexact=user.email) if user.email else linked)
        .annotate(link_rank=Case(When(linked, then=1), default=2))
        .order_by("link_rank", "pk")[:1]
    )


def my_training(*, user: User, folded: list[Person] | None = None) -> list[CourseStatus] | None:
    """The user's courses that are due or overdue, from the training register (linked by
    account, else by email address); None when the user is not in the register. ``folded``:
    the rows of ``my_person_rows`` already read."""
    people = list(my_person_rows(user=user)) if folded is None else folded
    if not people:
        return None
    return [row for row in person_training(people[0]) if row.status.state != DueState.VALID]
