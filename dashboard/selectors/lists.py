"""The filtered lists behind the tiles: incidents, reports, decisions, tasks, alerts.

Each list has one ordering that ends in ``id`` and an index that ends in that ordering, so a
keyset page (``dashboard.keyset``) reads at most page-size + 1 rows from the index whatever the
table's size. The index serving each list is named next to its ordering.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from bcp import selectors as bcp_selectors
from bcp.enums import BcpState, DecisionStatus
from bcp.models import BcpActivation, Decision
from dashboard.keyset import Ordering
from dashboard.selectors.scope import real_incidents, visible_incidents
from dashboard.selectors.tiles import with_assignee_rank
from incidents import selectors as incident_selectors
from incidents.facts import with_counters
from incidents.models import Incident, Report, Task
from incidents.models.enums import EventStatus, TaskStatus
from notifications import access as notification_access
from notifications.models import Alert, Notification
from notifications.models.alerts import AWAITING_ACK

# incidents: inc_org_declared (organisation, -declared_at, -id); with a status, level, category
# or priority filter the matching inc_org_<field>_declared index.
INCIDENTS = Ordering("declared_at")
# reports: report_org_recv (organisation, -received_at, -id); a reporter's own reports:
# report_by_reporter (reporter, -received_at).
REPORTS = Ordering("received_at")
# decisions: decision_org_opened (organisation, -opened_at, -id), added for this list.
DECISIONS = Ordering("opened_at")
# tasks, soonest due first: task_status_due (status, due_at); the list always filters a status.
TASKS = Ordering("due_at", descending=False, nulls_last=True)
# alerts, newest first: the primary key, filtered by organisation (alerts are a few per
# incident; the unacknowledged filter uses the partial index alert_unacknowledged).
ALERTS = Ordering("id")

BCP_FILTERS = {
    "pending": [BcpState.DECISION_PENDING],
    "active": [BcpState.ACTIVATED_PARTIAL, BcpState.ACTIVATED_FULL],
}
OPEN = "open"
OVERDUE = "overdue"


EXERCISE = {"real": False, "exercise": True}


def _day_start(day: date) -> datetime:
    """Midnight of ``day`` in the organisation's time zone (activated per request)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def incident_rows(
    user: User,
    *,
    status: str = "",
    level: int | None = None,
    category: str = "",
    priority: str = "",
    bcp: str = "",
    waiting: bool = False,
    infected: int | None = None,
    executed: int | None = None,
    tlp: str = "",
    exercise: str = "",
    declared_from: date | None = None,
    declared_to: date | None = None,
    assignee: User | None = None,
    q: str = "",
) -> QuerySet[Incident]:
    # The X-4 counters come from incidents.facts, as on the API and in the incident room.
    rows = with_counters(visible_incidents(user).select_related("csirt_lead", "owner"))
    if infected:
        rows = rows.filter(infected_effective_count__gte=infected)
    if executed:
        rows = rows.filter(mail_executed_count__gte=executed)
    if status == OPEN:
        rows = rows.open()
    elif status:
        rows = rows.filter(status=status)
    exact = {"level": level, "category": category, "priority": priority, "tlp": tlp}
    rows = rows.filter(**{field: value for field, value in exact.items() if value})
    # Real incidents unless the exercise incidents are asked for: never both (issue 18).
    rows = rows.filter(is_exercise=EXERCISE.get(exercise, False))
    if declared_from:
        rows = rows.filter(declared_at__gte=_day_start(declared_from))
    if declared_to:  # the whole day named
        rows = rows.filter(declared_at__lt=_day_start(declared_to + timedelta(days=1)))
    if assignee is not None:
        rows = rows.filter(owner=assignee)
    open_decisions = Decision.objects.filter(status=DecisionStatus.OPEN)
    if waiting:
        # A semi-join over the few open decisions, not a probe per incident.
        rows = rows.filter(pk__in=open_decisions.values("incident_id"))
    if bcp in BCP_FILTERS:
        activations = BcpActivation.objects.filter(state__in=BCP_FILTERS[bcp])
        rows = rows.filter(pk__in=activations.values("incident_id"))
    if q:
        rows = rows.filter(incident_selectors.incident_search(q))
    return rows.annotate(
        waiting_decision=Exists(open_decisions.filter(incident=OuterRef("pk"))),
    )


REPORT_STATES: dict[str, Q] = {
    "waiting": Q(event__status=EventStatus.RECEIVED),
    "incident": Q(incident__isnull=False),
    "not_incident": Q(event__status=EventStatus.NOT_INCIDENT),
}


def _report_number(q: str) -> Q | None:
    """R-2026-000123 (or 2026-123, or 123) → the report of that number (this year's or any
    year's); the list is already real or exercise only, so EX-R-2026-0001 works alike."""
    parts = q.strip().upper().split("-")
    seq, year = parts[-1], parts[-2] if len(parts) > 1 else ""
    if not (seq.isdigit() and len(seq) <= 9):
        return None
    number = Q(seq=int(seq), is_exercise=parts[0] == "EX")
    return number & Q(year=int(year)) if year.isdigit() and len(year) == 4 else number


def report_rows(
    user: User, *, state: str = "", channel: str = "", category: str = "", q: str = ""
) -> QuerySet[Report]:
    rows = incident_selectors.reports_visible_to(user).filter(
        incident_selectors.exercise_scope(prefix="incident__")
    )
    if state in REPORT_STATES:
        rows = rows.filter(REPORT_STATES[state])
    exact = {"channel": channel, "category": category}
    rows = rows.filter(**{field: value for field, value in exact.items() if value})
    if q:
        text = (
            Q(sender__icontains=q)
            | Q(subject__icontains=q)
            | Q(reporter_name__icontains=q)
            | Q(reporter_email__icontains=q)
        )
        number = _report_number(q)
        rows = rows.filter(text | number if number is not None else text)
    return rows


def decision_rows(
    user: User,
    *,
    now: datetime,
    status: str = "",
    decision_type: str = "",
    overdue: bool = False,
    mine: bool = False,
    q: str = "",
) -> QuerySet[Decision]:
    real = bcp_selectors.decisions_visible_to(user).filter(
        incident_selectors.exercise_scope(prefix="incident__")
    )
    rows = with_assignee_rank(real).select_related("incident", "assignee", "decided_by")
    if status == OPEN:
        rows = rows.filter(status=DecisionStatus.OPEN)
    elif status:
        rows = rows.filter(status=status)
    if decision_type:
        rows = rows.filter(type=decision_type)
    if overdue:
        rows = rows.filter(Q(overdue=True) | Q(due_at__lt=now), status=DecisionStatus.OPEN)
    if mine:
        rows = rows.filter(assignee=user)
    if q:
        rows = rows.filter(Q(incident__ref__iexact=q.strip()) | Q(incident__title__icontains=q))
    return rows


def task_rows(
    user: User,
    *,
    now: datetime,
    status: str = OPEN,
    level: int | None = None,
    owner_role: str = "",
    mine: bool = False,
    q: str = "",
) -> QuerySet[Task]:
    rows = Task.objects.filter(incident__in=real_incidents(user).values("pk")).select_related(
        "incident", "owner"
    )
    if status == OVERDUE:
        rows = rows.overdue(now)
    elif status in (TaskStatus.DONE, TaskStatus.WAIVED):
        rows = rows.filter(status=status)
    else:
        rows = rows.open()
    filters: dict[str, Any] = {"level": level, "owner_role": owner_role}
    rows = rows.filter(**{field: value for field, value in filters.items() if value})
    if mine:
        rows = rows.filter(owner=user)
    if q:
        rows = rows.filter(
            Q(title__icontains=q) | Q(code__iexact=q.strip()) | Q(incident__ref__iexact=q.strip())
        )
    return rows


ALERT_STATES: dict[str, Q] = {
    "awaiting": AWAITING_ACK,
    "flagged": Q(
        needs_ack=True,
        acknowledged_at__isnull=True,
        resolved_at__isnull=True,
        exhausted_at__isnull=False,
    ),
    "acknowledged": Q(acknowledged_at__isnull=False),
    "resolved": Q(resolved_at__isnull=False, acknowledged_at__isnull=True),
}


def alert_rows(user: User, *, state: str = "", event: str = "", q: str = "") -> QuerySet[Alert]:
    """The ISMS office sees the organisation's alerts; anyone else the alerts sent to them."""
    if not notification_access.is_person(user):
        return Alert.objects.none()
    rows = Alert.objects.filter(
        incident_selectors.exercise_scope(prefix="incident__"),
        organisation_id=user.organisation_id,
    )
    if not notification_access.can_manage_alerts(user):
        sent = Notification.objects.filter(recipient=user).values("alert_id")
        rows = rows.filter(pk__in=sent)
    if state in ALERT_STATES:
        rows = rows.filter(ALERT_STATES[state])
    if event:
        rows = rows.filter(event=event)
    if q:
        rows = rows.filter(incident__ref__iexact=q.strip())
    return rows.select_related("incident", "acknowledged_by", "last_holder")
