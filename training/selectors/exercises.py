"""Reads of exercises: the state for the exercise room and an external harness, and the
after-action report (each expected decision, who took it, how long against its deadline,
which alerts were acknowledged)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext

from accounts.models import User
from bcp.enums import AssignmentReason, DecisionStatus
from bcp.models import Decision, DecisionAssignment
from bcp.services.decisions import deadline_minutes
from incidents.models import Incident, Task
from notifications.models import Alert
from privacy.models import Obligation
from risklevels.models import LevelChange
from training import access, scenario
from training.models import Exercise, ExerciseInject


def exercises_of(user: User) -> QuerySet[Exercise]:
    if not access.can_read(user):
        return Exercise.objects.none()
    return (
        Exercise.objects.filter(organisation_id=user.organisation_id)
        .select_related("started_by")
        .order_by("-starts_at", "-id")
    )


def exercise_get(*, user: User, pk: int) -> Exercise:
    exercise = exercises_of(user).filter(pk=pk).first()
    if exercise is None:
        raise Http404
    return exercise


def exercise_incidents(exercise: Exercise) -> QuerySet[Incident]:
    return Incident.objects.filter(exercise_link__exercise=exercise).order_by("id")


def exercise_decisions(exercise: Exercise) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(incident__exercise_link__exercise=exercise)
        .select_related("incident", "assignee", "decided_by")
        .prefetch_related("assignments__person")
        .order_by("opened_at", "id")
    )


def exercise_tasks(exercise: Exercise) -> QuerySet[Task]:
    return (
        Task.objects.filter(incident__exercise_link__exercise=exercise)
        .select_related("incident", "owner")
        .order_by("incident_id", "level", "code", "id")
    )


def exercise_injects(exercise: Exercise) -> QuerySet[ExerciseInject]:
    return exercise.injects.select_related("posted_by").order_by("at", "seq")


# --- After-action report ---------------------------------------------------------------------


def _within(expected: dict[str, Any]) -> timedelta | None:
    """The scenario's target for an expectation (``within: "+0:30"``), if it sets one."""
    if expected.get("within") in (None, ""):
        return None
    return scenario.parse_offset(expected["within"])


@dataclass
class DecisionRow:
    """An expected decision against what was done: the exercise-time deadline (``first_due_at``,
    the organisation's deadline from when it opened) and the scenario's target (``within``,
    the deadline when it sets none)."""

    expected: dict[str, Any]
    decision: Decision | None
    first_due_at: datetime | None = None
    took: timedelta | None = None
    late_by: timedelta | None = None
    reassignments: list[DecisionAssignment] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)

    @property
    def target(self) -> timedelta | None:
        within = _within(self.expected)
        if within is not None or self.decision is None or self.first_due_at is None:
            return within
        return self.first_due_at - self.decision.opened_at

    @property
    def met_target(self) -> bool | None:
        if self.took is None or self.target is None:
            return None
        return self.took <= self.target

    @property
    def on_time(self) -> bool | None:
        if self.decision is None or self.decision.decided_at is None or self.first_due_at is None:
            return None
        return self.decision.decided_at <= self.first_due_at

    @property
    def alerts_acknowledged(self) -> list[Alert]:
        return [a for a in self.alerts if a.acknowledged_at is not None]

    @property
    def deadline_state(self) -> str:
        """Against the exercise-time deadline: ON_TIME, LATE (decided after it), OVERDUE (not
        decided, past it), OPEN (not decided yet) or "" (never opened)."""
        if self.decision is None:
            return ""
        if self.on_time:
            return "ON_TIME"
        if self.late_by is not None:
            return "LATE"
        return "OVERDUE" if self.decision.overdue else "OPEN"

    @property
    def deadline_text(self) -> str:
        """The same in the reader's words (the page and the API's ``against_deadline``)."""
        state = self.deadline_state
        if state == "LATE":
            late = self.late_by or timedelta(0)
            return gettext("%(m)s min late") % {"m": f"{late.total_seconds() / 60:.0f}"}
        words = {
            "ON_TIME": gettext("on time"),
            "OVERDUE": gettext("overdue, not decided"),
            "OPEN": gettext("not decided"),
        }
        return words.get(state, "—")

    @property
    def matched_outcome(self) -> bool | None:
        wanted = self.expected.get("outcome")
        if not wanted or self.decision is None or not self.decision.outcome:
            return None
        return self.decision.outcome == wanted


@dataclass
class ObligationRow:
    """An expected obligation against what was done: when its clock started, when it was due
    and done (exercise time), the time taken against the scenario's target (``within``, from
    the clock's start) and whether it ended as expected."""

    expected: dict[str, Any]
    obligation: Obligation | None

    @property
    def took(self) -> timedelta | None:
        ob = self.obligation
        if ob is None or ob.done_at is None or ob.clock_start is None:
            return None
        return ob.done_at - ob.clock_start

    @property
    def target(self) -> timedelta | None:
        within = _within(self.expected)
        ob = self.obligation
        if within is not None or ob is None or ob.due_at is None or ob.clock_start is None:
            return within
        return ob.due_at - ob.clock_start

    @property
    def met_target(self) -> bool | None:
        if self.took is None or self.target is None:
            return None
        return self.took <= self.target

    @property
    def matched_status(self) -> bool | None:
        wanted = self.expected.get("status")
        if not wanted or self.obligation is None:
            return None
        return self.obligation.status == wanted


@dataclass
class AlertSummary:
    total: int = 0
    needing_ack: int = 0
    acknowledged: int = 0
    unacknowledged: int = 0
    rows: list[Alert] = field(default_factory=list)


@dataclass
class AfterActionReport:
    exercise: Exercise
    incidents: list[Incident]
    injects: list[ExerciseInject]
    expected: list[DecisionRow]
    unexpected: list[DecisionRow]
    level_changes: list[LevelChange]
    tasks_total: int
    tasks_done: int
    open_tasks: list[Task]
    alerts: AlertSummary
    obligations: list[ObligationRow] = field(default_factory=list)
    other_obligations: list[Obligation] = field(default_factory=list)

    @property
    def decided_on_time(self) -> int:
        return sum(1 for row in self.expected if row.on_time)

    @property
    def decided(self) -> int:
        return sum(1 for row in self.expected if row.decision and row.decision.decided_at)


def incident_keys(exercise: Exercise) -> dict[str, int]:
    """The scenario's incident keys and the incidents their first reports started."""
    keys: dict[str, int] = {}
    results = exercise.injects.filter(kind="report").exclude(applied_at__isnull=True)
    for result in results.order_by("at", "seq").values_list("result", flat=True):
        if result.get("key") and result.get("incident_id"):
            keys.setdefault(result["key"], result["incident_id"])
    return keys


def _matches(expected: dict[str, Any], decision: Decision, keys: dict[str, int]) -> bool:
    if decision.type != expected.get("type"):
        return False
    if expected.get("incident") and keys.get(expected["incident"]) != decision.incident_id:
        return False
    target = expected.get("target_level")
    return target is None or decision.target_level == target


def _row(exercise: Exercise, expected: dict[str, Any], decision: Decision | None) -> DecisionRow:
    row = DecisionRow(expected=expected, decision=decision)
    if decision is None:
        return row
    minutes = deadline_minutes(exercise.organisation, decision.type)
    row.first_due_at = decision.opened_at + timedelta(minutes=minutes) if minutes else None
    if decision.decided_at is not None:
        row.took = decision.decided_at - decision.opened_at
        if row.first_due_at is not None and decision.decided_at > row.first_due_at:
            row.late_by = decision.decided_at - row.first_due_at
    row.reassignments = [
        a for a in decision.assignments.all() if a.reason == AssignmentReason.DEADLINE_EXPIRED
    ]
    return row


def _pick(expected: dict[str, Any], pool: list[Decision], keys: dict[str, int]) -> Decision | None:
    """The decision that answered an expectation: the decided one if any, else the latest."""
    candidates = [d for d in pool if _matches(expected, d, keys)]
    decided = [d for d in candidates if d.status == DecisionStatus.DECIDED]
    chosen = (decided or candidates or [None])[0]
    if chosen is not None:
        pool.remove(chosen)
    return chosen


def _alerts(incidents: list[Incident], rows: list[DecisionRow]) -> AlertSummary:
    alerts = list(
        Alert.objects.filter(incident__in=incidents)
        .select_related("acknowledged_by", "last_holder")
        .order_by("created_at", "id")
    )
    by_subject: dict[str, list[Alert]] = {}
    for alert in alerts:
        by_subject.setdefault(alert.subject, []).append(alert)
    for row in rows:
        if row.decision is not None:
            row.alerts = by_subject.get(f"decision:{row.decision.pk}", [])
    needing = [a for a in alerts if a.needs_ack]
    return AlertSummary(
        total=len(alerts),
        needing_ack=len(needing),
        acknowledged=sum(1 for a in needing if a.acknowledged_at is not None),
        unacknowledged=sum(1 for a in needing if a.exhausted_at and not a.acknowledged_at),
        rows=alerts,
    )


def after_action_report(exercise: Exercise) -> AfterActionReport:
    incidents = list(exercise_incidents(exercise))
    pool = list(exercise_decisions(exercise))
    keys = incident_keys(exercise)
    expected = [
        _row(exercise, item, _pick(item, pool, keys))
        for item in exercise.scenario.get("expected_decisions") or []
    ]
    obligations = list(
        Obligation.objects.filter(incident__in=incidents).order_by("clock_start", "id")
    )
    obligation_rows = []
    for item in exercise.scenario.get("expected_obligations") or []:
        found = next(
            (
                o
                for o in obligations
                if o.kind == item.get("kind")
                and (not item.get("incident") or keys.get(item["incident"]) == o.incident_id)
            ),
            None,
        )
        if found is not None:
            obligations.remove(found)
        obligation_rows.append(ObligationRow(expected=item, obligation=found))
    unexpected = [_row(exercise, {"type": d.type}, d) for d in pool]
    tasks = list(exercise_tasks(exercise))
    return AfterActionReport(
        exercise=exercise,
        incidents=incidents,
        injects=list(exercise_injects(exercise)),
        expected=expected,
        unexpected=unexpected,
        level_changes=list(
            LevelChange.objects.filter(incident__in=incidents)
            .select_related("actor")
            .order_by("at", "id")
        ),
        tasks_total=len(tasks),
        tasks_done=sum(1 for t in tasks if t.status != "OPEN"),
        open_tasks=[t for t in tasks if t.status == "OPEN"],
        alerts=_alerts(incidents, expected + unexpected),
        obligations=obligation_rows,
        other_obligations=obligations,
    )


def exercise_facilitators(incident: Incident) -> set[int]:
    """Who ran the exercise of ``incident``: a participant its alerts reach (issue 18)."""
    return set(
        Exercise.objects.filter(links__incident=incident).values_list("started_by_id", flat=True)
    )
