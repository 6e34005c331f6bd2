"""The tiles of the ISMS office dashboard. Each tile's counts are a ``values()`` query set
(``*_counts``), which the home page runs together in one query (``fold``); called alone, a
tile reads its counts itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import (
    Count,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)

from accounts.models import User
from bcp import selectors as bcp_selectors
from bcp.enums import AssignmentReason, BcpState, DecisionStatus
from bcp.models import BcpActivation, Decision, DecisionAssignment
from common.fold import Rows, parse_time
from dashboard.selectors.scope import real, real_incidents
from incidents import access as incident_access
from incidents import extensions as incident_extensions
from incidents import selectors as incident_selectors
from incidents.models import Task
from incidents.models.enums import IncidentStatus
from notifications import access as notification_access
from notifications import selectors as notification_selectors
from notifications.models import Alert
from notifications.models.alerts import AWAITING_ACK, UNACKNOWLEDGED
from training import access as training_access
from training import readiness
from training import selectors as training_selectors
from training.enums import CompletionStatus
from training.models import Completion, Person

LEVELS = (1, 2, 3)
OPEN_STATUSES = [s for s in IncidentStatus if s != IncidentStatus.CLOSED]
BCP_WATCHED = (
    BcpState.DECISION_PENDING,
    BcpState.ACTIVATED_PARTIAL,
    BcpState.ACTIVATED_FULL,
)
SHOWN = 5  # rows listed in a tile; the tile links to the full list


@dataclass(frozen=True)
class OpenIncidents:
    total: int
    by_level: list[tuple[int, int]]
    by_status: list[tuple[str, str, int]]


def _totals(rows: QuerySet[Any], **aggregates: Any) -> QuerySet[Any]:
    """One row of aggregates over ``rows`` (no GROUP BY: the constant groups nothing)."""
    return rows.order_by().values(_=Value(1)).annotate(**aggregates).values(*aggregates)


def open_incidents_counts(user: User) -> QuerySet[Any]:
    # The open statuses listed (not "status <> CLOSED"), so that inc_org_status_declared
    # (organisation, status, …) serves the count from the index.
    return (
        real_incidents(user)
        .filter(status__in=[s.value for s in OPEN_STATUSES])
        .order_by()
        .values("level", "status")
        .annotate(n=Count("id"))
    )


def open_incidents(user: User, counts: Rows | None = None) -> OpenIncidents:
    """Open incidents by level and by status, every level and open status listed (zeros too)."""
    rows = list(open_incidents_counts(user)) if counts is None else counts
    levels = dict.fromkeys(LEVELS, 0)
    statuses = dict.fromkeys((s.value for s in OPEN_STATUSES), 0)
    for row in rows:
        level, status, n = row["level"], row["status"], row["n"]
        levels[level] = levels.get(level, 0) + n
        statuses[status] = statuses.get(status, 0) + n
    return OpenIncidents(
        total=sum(levels.values()),
        by_level=list(levels.items()),
        by_status=[(s.value, str(s.label), statuses[s.value]) for s in OPEN_STATUSES],
    )


def with_assignee_rank(decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    """Annotate the current assignee's rank and why they hold it (the latest assignment), so a
    deputy or delegate can be marked without a query per row."""
    latest = DecisionAssignment.objects.filter(
        decision=OuterRef("pk"), person=OuterRef("assignee")
    ).order_by("-at", "-id")
    return decisions.annotate(
        assignee_rank=Subquery(latest.values("rank")[:1]),
        assignee_reason=Subquery(latest.values("reason")[:1]),
    )


def stands_in(decision: Decision) -> str:
    """'delegate', 'deputy' or '' for the primary holder (needs ``with_assignee_rank``)."""
    if decision.assignee_id is None:
        return ""
    if getattr(decision, "assignee_reason", "") == AssignmentReason.DELEGATED:
        return "delegate"
    rank = getattr(decision, "assignee_rank", None)
    return "deputy" if rank is not None and rank > 1 else ""


@dataclass(frozen=True)
class DecisionsWaiting:
    open: int
    past_due: int
    urgent: list[Decision]


def _decisions_open(user: User) -> QuerySet[Decision]:
    return bcp_selectors.decisions_visible_to(user).filter(
        real("incident__"), status=DecisionStatus.OPEN
    )


def decisions_waiting_counts(user: User, now: datetime) -> QuerySet[Any]:
    return _totals(
        _decisions_open(user),
        open=Count("id"),
        past_due=Count("id", filter=Q(overdue=True) | Q(due_at__lt=now)),
    )


def decisions_waiting_rows(user: User) -> QuerySet[Decision]:
    """The most urgent open decisions with their assignee (and the rank they hold it at)."""
    return (
        with_assignee_rank(_decisions_open(user))
        .select_related("incident", "assignee")
        .order_by("-overdue", "due_at", "opened_at", "id")[:SHOWN]
    )


def decisions_waiting(
    user: User, now: datetime, counts: Rows | None = None, rows: list[Decision] | None = None
) -> DecisionsWaiting:
    """Open decisions on the user's incidents: counts, and the most urgent with assignee."""
    totals = (list(decisions_waiting_counts(user, now)) if counts is None else counts)[0]
    urgent = list(decisions_waiting_rows(user)) if rows is None else rows
    return DecisionsWaiting(totals["open"], totals["past_due"], urgent)


@dataclass(frozen=True)
class AlertsWaiting:
    awaiting: int
    flagged: int
    latest_flagged: list[Alert]


def alerts_waiting_counts(user: User) -> QuerySet[Any]:
    """Both counts in one aggregate over the alerts still waiting (issue 20: fewer queries)."""
    waiting = Alert.objects.filter(
        real("incident__"),
        organisation_id=user.organisation_id,
        needs_ack=True,
        acknowledged_at__isnull=True,
        resolved_at__isnull=True,
    )
    return _totals(
        waiting,
        awaiting=Count("id", filter=AWAITING_ACK),
        flagged=Count("id", filter=UNACKNOWLEDGED),
    )


def alerts_waiting_rows(user: User) -> QuerySet[Alert]:
    """The latest alerts that ran through their whole chain unacknowledged."""
    return notification_selectors.unacknowledged(user).filter(real("incident__"))[:SHOWN]


def alerts_waiting(
    user: User, counts: Rows | None = None, rows: list[Alert] | None = None
) -> AlertsWaiting | None:
    """Alerts still waiting for an acknowledgement, and those that ran through their whole
    chain unacknowledged (the ISMS office only; None for everyone else)."""
    if not notification_access.can_manage_alerts(user):
        return None
    totals = (list(alerts_waiting_counts(user)) if counts is None else counts)[0]
    flagged = list(alerts_waiting_rows(user)) if rows is None else rows
    return AlertsWaiting(totals["awaiting"], totals["flagged"], flagged)


@dataclass(frozen=True)
class OverdueTasks:
    count: int
    oldest: list[Task]


def _sees_the_organisation(user: User) -> bool:
    """The user's incidents are all of the organisation's (``incidents_visible_to``: no guest's
    limit, a role that sees every incident)."""
    return (
        user.organisation_id is not None
        and incident_access.sees_all_incidents(user)
        and not incident_extensions.visibility_limits(user)
    )


def _overdue(user: User, now: datetime) -> QuerySet[Task]:
    tasks = Task.objects.overdue(now)
    if _sees_the_organisation(user):
        # The same tasks by their own organisation (task_org_status_due): 5 663 overdue tasks
        # were each probed in their incident for it (issue 20: 13 ms of the dashboard).
        return tasks.filter(real("incident__"), organisation_id=user.organisation_id)
    return tasks.filter(incident__in=real_incidents(user).values("pk"))


def overdue_tasks_counts(user: User, now: datetime) -> QuerySet[Any]:
    return _totals(_overdue(user, now), count=Count("id"))


def overdue_tasks_rows(user: User, now: datetime) -> QuerySet[Task]:
    """The longest overdue tasks, with their incident and owner."""
    return _overdue(user, now).select_related("incident", "owner").order_by("due_at", "id")[:SHOWN]


def overdue_tasks(
    user: User, now: datetime, counts: Rows | None = None, rows: list[Task] | None = None
) -> OverdueTasks:
    totals = (list(overdue_tasks_counts(user, now)) if counts is None else counts)[0]
    oldest = list(overdue_tasks_rows(user, now)) if rows is None else rows
    return OverdueTasks(totals["count"], oldest)


@dataclass(frozen=True)
class TriageWaiting:
    items: int
    reports: int
    oldest_at: datetime | None


def triage_waiting_counts(user: User) -> QuerySet[Any]:
    return _totals(
        incident_selectors.events_waiting(user),
        items=Count("id"),
        reports=Sum("report_count"),
        oldest=Min("received_at"),
    )


def triage_waiting(user: User, counts: Rows | None = None) -> TriageWaiting:
    """Triage items waiting for the ISMS office (empty for those who do not triage)."""
    if counts is None:
        totals = next(iter(triage_waiting_counts(user)))
        oldest = totals["oldest"]
    else:
        totals = counts[0]
        oldest = parse_time(totals["oldest"])
    return TriageWaiting(totals["items"], totals["reports"] or 0, oldest)


@dataclass(frozen=True)
class BcpOverview:
    by_state: list[tuple[str, str, int]]
    active: list[BcpActivation]

    @property
    def any(self) -> bool:
        return any(n for _, _, n in self.by_state)


def _watched(user: User) -> QuerySet[BcpActivation]:
    open_incidents = real_incidents(user).open().values("pk")
    return BcpActivation.objects.filter(incident__in=open_incidents, state__in=BCP_WATCHED)


def bcp_overview_counts(user: User) -> QuerySet[Any]:
    return _watched(user).order_by().values("state").annotate(n=Count("id"))


def bcp_overview_rows(user: User) -> QuerySet[BcpActivation]:
    """The newest watched activations, with their incident."""
    newest = (F("activated_at").desc(nulls_last=True), "-id")
    return _watched(user).select_related("incident").order_by(*newest)[:SHOWN]


def bcp_overview(
    user: User, counts: Rows | None = None, rows: list[BcpActivation] | None = None
) -> BcpOverview:
    """Cyber-BCP activations waiting for a decision or in force, on open incidents."""
    states = list(bcp_overview_counts(user)) if counts is None else counts
    by_state = {row["state"]: row["n"] for row in states}
    active = list(bcp_overview_rows(user)) if rows is None else rows
    return BcpOverview(
        by_state=[(s.value, str(s.label), by_state.get(s.value, 0)) for s in BCP_WATCHED],
        active=active,
    )


@dataclass(frozen=True)
class Readiness:
    required: int
    covered: int
    percent: int
    missing: int


def training_readiness_counts(user: User, on: date | None = None) -> QuerySet[Any]:
    """The readiness tile's two counts in one aggregate over the register (for ``fold``): the
    active people some active required course applies to, and those of them holding a valid
    completion of every such course on ``on`` — ``training.readiness.coverage``'s totals, counted
    by the database instead of over every person in Python (issue 20). One query for the
    courses; none more when nobody's population has a required course."""
    on = on or training_selectors.today()
    courses = [c for c in training_selectors.courses_of(user).filter(active=True) if c.required_for]
    by_population: dict[str, list[int]] = {}
    for course in courses:
        for population in course.required_for:
            by_population.setdefault(population, []).append(course.pk)
    if not by_population:
        return Person.objects.none()
    valid = Completion.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        organisation_id=user.organisation_id,
        status=CompletionStatus.COMPLETED,
        completed_on__lte=on,
    )
    # Who holds each course: one hashed set per course (``IN``), not a probe per person (an
    # ``EXISTS`` per person was estimated so dear that PostgreSQL compiled it with JIT, 40 ms).
    holders = {
        course_id: valid.filter(course_id=course_id).values("person_id")
        for course_id in {pk for ids in by_population.values() for pk in ids}
    }
    # The populations that need the same courses share one condition.
    by_courses: dict[frozenset[int], list[str]] = {}
    for population, course_ids in by_population.items():
        by_courses.setdefault(frozenset(course_ids), []).append(population)
    covered = Q(pk__in=[])
    for course_ids, populations in by_courses.items():
        held = Q(population__in=populations)
        for course_id in sorted(course_ids):
            held &= Q(pk__in=holders[course_id])
        covered |= held
    return (
        Person.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gt=on),
            organisation_id=user.organisation_id,
            start_date__lte=on,
            population__in=list(by_population),
        )
        .order_by()
        .values(_=Value(1))
        .annotate(required=Count("id"), covered=Count("id", filter=covered))
        .values("required", "covered")
    )


def training_readiness(user: User, counts: Rows | None = None) -> Readiness | None:
    """Who has valid training in the required courses (training's coverage, its readers only);
    ``counts``: the rows of ``training_readiness_counts`` already read (``fold``)."""
    if not training_access.can_read(user):
        return None
    if counts is None:
        counts = list(training_readiness_counts(user))
    required, covered = (counts[0]["required"], counts[0]["covered"]) if counts else (0, 0)
    total = readiness.CoverageRow("all", "", required, covered)
    return Readiness(required, covered, total.percent, required - covered)
