"""The incident lifecycle: the facts the guards read, and moving along the transition table.

Closing (C-1) lists every failing condition at once (409 CLOSE_GUARD_FAILED), so the closer
sees the whole list; open checklist tasks do not block it, the closer waives them with one
reason in the same step. Reopening a closed incident is the CSIRT lead's, with a reason.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common import clock
from common.errors import Conflict, InvalidInput
from common.fold import PreparedFold
from incidents import access, extensions, lifecycle
from incidents.models import AffectedAsset, Incident, Indicator, Task
from incidents.models import enums as e
from incidents.services import tasks as incident_tasks
from incidents.services.timeline import timeline_append

RESTORED = {"RESTORED", "RETIRED"}


def _own_parts(incident_id: int) -> dict[str, QuerySet[Any]]:
    return {
        "assets": AffectedAsset.objects.filter(incident_id=incident_id)
        .order_by()
        .values("infection_state", "containment_state", "remediation_state"),
        "indicators": Indicator.objects.filter(incident_id=incident_id)
        .order_by()
        .values("kind", "blocked_at"),
        "open_tasks": Task.objects.filter(incident_id=incident_id, status=e.TaskStatus.OPEN)
        .order_by()
        .values("incident_id")
        .annotate(n=Count("pk")),
    }


# The guards' facts, incidents' own and every app's (``extensions.register_fact_parts``), in
# one statement compiled once per thread (issue 20: eight queries on each incident page).
_FACT_FOLDS: dict[tuple[extensions.FactParts, ...], PreparedFold] = {}


def _fact_fold(apps: tuple[extensions.FactParts, ...]) -> PreparedFold:
    fold = _FACT_FOLDS.get(apps)
    if fold is None:

        def build(incident_id: int) -> dict[str, QuerySet[Any]]:
            parts = _own_parts(incident_id)
            for i, (app_parts, _read) in enumerate(apps):
                parts.update({f"{i}:{k}": qs for k, qs in app_parts(incident_id).items()})
            return parts

        fold = _FACT_FOLDS[apps] = PreparedFold(build)
    return fold


def _app_facts(apps: tuple[extensions.FactParts, ...], rows: dict[str, Any]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for i, (_parts, read) in enumerate(apps):
        prefix = f"{i}:"
        facts.update(read({k[len(prefix) :]: v for k, v in rows.items() if k.startswith(prefix)}))
    return facts


def incident_facts(incident: Incident) -> lifecycle.IncidentFacts:
    apps = extensions.fact_parts()
    rows = _fact_fold(apps)(incident.pk)
    assets = [
        (a["infection_state"], a["containment_state"], a["remediation_state"])
        for a in rows["assets"]
    ]
    infected = [a for a in assets if a[0] in e.EFFECTIVE_INFECTION]
    indicators = [(i["kind"], i["blocked_at"]) for i in rows["indicators"]]
    network = [i for i in indicators if i[0] in e.NETWORK_INDICATOR_KINDS]
    extra = _app_facts(apps, rows) | extensions.extra_facts(incident)
    return lifecycle.IncidentFacts(
        any_asset_isolated=any(a[1] == e.ContainmentState.ISOLATED for a in assets),
        any_indicator_blocked=any(i[1] is not None for i in indicators),
        all_infected_isolated=all(a[1] == e.ContainmentState.ISOLATED for a in infected),
        all_infected_remediated=all(
            a[2] in {"CLEANED", "REIMAGED", "RETIRED", "RESTORED"} for a in infected
        ),
        all_network_indicators_blocked=all(i[1] is not None for i in network),
        all_assets_restored=all(a[2] in RESTORED for a in assets),
        bcp_fully_activated=extra.get("bcp_fully_activated", False),
        open_tasks=rows["open_tasks"][0]["n"] if rows["open_tasks"] else 0,
        pending_ratifications=extra.get("pending_ratifications", 0),
        open_obligations=extra.get("open_obligations", 0),
        open_decisions=extra.get("open_decisions", 0),
        bcp_settled=extra.get("bcp_settled", True),
        review_complete=extra.get("review_complete", False),
        management_review_required=(
            incident.peak_level >= 2 or extra.get("appi_obligations", 0) > 0
        ),
        corrective_action_or_reason=extra.get("corrective_action_or_reason", False),
    )


class TransitionRefused(Conflict):
    """Not a transition of the lifecycle table, or a guard failed; the code names it."""


def _failures(guards: list[lifecycle.Guard]) -> list[dict[str, str]]:
    return [{"code": g.code, "message": str(g.message)} for g in guards]


def _refuse(current: str, target: str, failed: list[lifecycle.Guard]) -> None:
    details: dict[str, Any] = {
        "failed": _failures(failed),
        "failed_guards": [g.code for g in failed],
    }
    if (current, target) == (e.IncidentStatus.REVIEWING, e.IncidentStatus.CLOSED):
        raise TransitionRefused(
            "CLOSE_GUARD_FAILED",
            _("The incident cannot be closed yet: %(reasons)s")
            % {"reasons": " ".join(str(g.message) for g in failed)},
            **details,
        )
    raise TransitionRefused(failed[0].code, failed[0].message, **details)


def _check_allowed(incident: Incident, target: str, actor: User, reason: str) -> None:
    key = (incident.status, target)
    if key == lifecycle.REOPEN:
        access.require(access.can_reopen(actor), "reopen a closed incident")
    if key in lifecycle.REASON_REQUIRED and not reason.strip():
        raise InvalidInput(
            "REASON_REQUIRED", _("Say why the incident is reopened."), field="reason"
        )


def open_tasks_of(incident: Incident) -> list[Task]:
    return list(incident.tasks.filter(status=e.TaskStatus.OPEN).order_by("id"))


def _waive_open_tasks(incident: Incident, actor: User, waive_reason: str) -> int:
    """C-1: open checklist tasks are waived at close, each with the closer's one reason."""
    tasks = open_tasks_of(incident)
    if tasks and not waive_reason.strip():
        raise InvalidInput(
            "WAIVE_REASON_REQUIRED",
            _("Some tasks are still open: give one reason to waive them as you close."),
            field="waive_reason",
            open_tasks=[{"id": t.pk, "code": t.code, "title": t.title} for t in tasks],
        )
    for task in tasks:
        incident_tasks.task_finish(
            task=task, actor=actor, status=e.TaskStatus.WAIVED, note=waive_reason.strip()
        )
    return len(tasks)


@transaction.atomic
def incident_transition(
    *, incident: Incident, target: str, actor: User, reason: str = "", waive_reason: str = ""
) -> Incident:
    """Move the incident along the lifecycle table; failed guards are a 409 that lists them."""
    access.require(access.can_transition(actor), "change the incident status")
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    facts = incident_facts(incident)
    failed = lifecycle.failed_guards(incident.status, target, facts)
    if failed is None:
        raise TransitionRefused(
            "transition_not_allowed",
            _("%(current)s → %(target)s is not a transition of the incident lifecycle.")
            % {"current": incident.status, "target": target},
            allowed=lifecycle.allowed_targets(incident.status),
        )
    if failed:
        _refuse(incident.status, target, failed)
    _check_allowed(incident, target, actor, reason)
    waived = 0
    if target == e.IncidentStatus.CLOSED:
        waived = _waive_open_tasks(incident, actor, waive_reason)
    previous = incident.status
    incident.status = target
    stamp = lifecycle.STATUS_TIMESTAMP.get(target)
    # Closing again after a reopening records the new close (nothing else is cleared).
    if stamp and (getattr(incident, stamp) is None or target == e.IncidentStatus.CLOSED):
        setattr(incident, stamp, clock.now())
    incident.save()
    payload: dict[str, Any] = {"from": previous, "to": target}
    if reason.strip():
        payload["reason"] = reason.strip()
    if waived:
        payload.update(waived_tasks=waived, waive_reason=waive_reason.strip())
    timeline_append(incident=incident, kind="incident.status_changed", actor=actor, payload=payload)
    extensions.status_changed(incident, actor, previous, facts)
    return incident


def _rows(
    incident: Incident, current: str, target: str, facts: lifecycle.IncidentFacts
) -> list[dict[str, Any]]:
    return [
        {
            "code": guard.code,
            "message": guard.message,
            "ok": ok,
            "link": "" if ok else extensions.guard_link(guard.code, incident),
        }
        for guard, ok in lifecycle.guard_report(current, target, facts)
    ]


def transition_checklist(
    incident: Incident, target: str, *, current: str | None = None
) -> list[dict[str, Any]]:
    """Every guard of ``current → target`` (by default from the incident's status) with whether
    it holds now and where to fix it (a read, for the close page)."""
    return _rows(incident, current or incident.status, target, incident_facts(incident))


def next_steps(incident: Incident) -> list[dict[str, Any]]:
    """For each transition from the current status: what it needs, met or not (a read, for the
    lifecycle panel). The facts are read once for all of them."""
    targets = lifecycle.allowed_targets(incident.status)
    if not targets:
        return []
    facts = incident_facts(incident)
    return [
        {
            "target": target,
            "label": e.IncidentStatus(target).label,
            "checklist": _rows(incident, incident.status, target, facts),
            "needs_reason": (incident.status, target) in lifecycle.REASON_REQUIRED,
            "reopen": (incident.status, target) == lifecycle.REOPEN,
            "close": target == e.IncidentStatus.CLOSED,
        }
        for target in targets
    ]
