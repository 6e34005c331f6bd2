"""Tasks completed by the record (``incidents.completion``): complete, or warn, never reopen."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from common import clock
from common.prepared import Prepared
from incidents import completion
from incidents.models import Incident, Task
from incidents.models.enums import TaskStatus
from incidents.services.timeline import timeline_append

# Compiled once per thread (issue 20: the intake reads it on every report joining an incident).
_tasks_of = Prepared(
    lambda incident_id, codes, statuses: Task.objects.filter(
        incident_id=incident_id, code__in=codes, status__in=statuses
    ).order_by("id")
)


@transaction.atomic(savepoint=False)  # joins the caller's transaction (issue 20)
def tasks_reconcile(
    *,
    incident: Incident,
    actor: User | None,
    kinds: tuple[str, ...] | None = None,
    breaks_only: bool = False,
) -> None:
    """After a record of ``kinds`` changed (None = any): an open task its records now prove
    is done "from the record"; a done task they no longer prove keeps its status and shows a
    warning (cleared when the record proves it again). Waived tasks are left alone.

    Nothing is locked when nothing changes (intake calls this for every report): a change is
    a conditional UPDATE on the state that was read, so of two at once one makes it.

    ``breaks_only``: the change only added records that lack what the conditions ask (a
    report's new indicators are not blocked, its delivery is not deleted), so it can break a
    done task's proof but complete no open one: only done tasks are read, and nothing more is
    read when there is none (issue 20: the intake, on every report joining an incident)."""
    codes = completion.codes_for(kinds)
    if not codes:
        return
    statuses = [TaskStatus.DONE] if breaks_only else [TaskStatus.OPEN, TaskStatus.DONE]
    tasks = _tasks_of(incident.pk, list(codes), statuses)
    for task in tasks:
        task.incident = incident
    proofs: dict[str, completion.Proof] = {}
    for task in tasks:
        name = codes[task.code]
        if name not in proofs:
            check = completion.condition(name)
            assert check is not None  # codes_for lists registered conditions only
            proofs[name] = check(incident)
        if task.status == TaskStatus.OPEN:
            if proofs[name].holds:
                _complete(task, name, proofs[name], actor)
        else:
            _warn(task, name, proofs[name], actor)


def _complete(task: Task, name: str, proof: completion.Proof, actor: User | None) -> None:
    proof_row = {"condition": name, "records": proof.records}
    claimed = Task.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE,
        completed_at=clock.now(),
        completed_by=actor,
        record_proof=proof_row,
        record_missing=[],
        updated_at=clock.now(),
    )
    if not claimed:
        return
    timeline_append(
        incident=task.incident,
        kind="task.done_from_record",
        actor=actor,
        payload={"task": task.pk, "code": task.code, "condition": name, "records": proof.records},
    )


def _warn(task: Task, name: str, proof: completion.Proof, actor: User | None) -> None:
    missing = [] if proof.holds else proof.missing
    if missing == task.record_missing:
        return
    claimed = Task.objects.filter(pk=task.pk, record_missing=task.record_missing).update(
        record_missing=missing, updated_at=clock.now()
    )
    if not claimed:
        return
    timeline_append(
        incident=task.incident,
        kind="task.record_warning" if missing else "task.record_warning_cleared",
        actor=actor,
        payload={"task": task.pk, "code": task.code, "condition": name, "missing": missing},
    )
