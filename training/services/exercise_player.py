"""Playing an exercise: injects and deadlines in exercise-time order, on the exercise clock.

Everything an inject or a deadline causes runs inside ``clock.frozen_at(t)``, so the real
services (intake, triage, findings, the escalation engine, decisions, the D-3 sweep) stamp
exercise time on every fact, decision, deadline, reassignment and timeline entry. Between two
events nothing happens, so jumping from one event to the next is exact and deterministic,
whatever the speed of the clock or the interval of the tick that drives it.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from bcp.enums import DecisionStatus, Outcome
from bcp.models import Decision
from bcp.services import sweep
from common import clock
from common.errors import Conflict, DomainError, InvalidInput
from incidents.models import AffectedAsset, Asset, Incident, RelationKind
from incidents.services import assets, intake, relations, triage
from privacy.models import DataSet, Obligation
from privacy.services import leaks as privacy_leaks
from privacy.services import reminders as obligation_reminders
from training.enums import InjectKind
from training.models import Exercise, ExerciseIncident, ExerciseInject
from training.services import inject_players as players
from training.services.inject_players import DRILL_DOMAIN

MAX_STEPS = 2000


def exercise_decisions(exercise: Exercise):  # type: ignore[no-untyped-def]
    return Decision.objects.filter(incident__exercise_link__exercise=exercise)


def play_until(exercise: Exercise, target: datetime) -> None:
    """Play every inject and deadline up to ``target`` in time order (deadlines first when
    they fall on the same minute as an inject: the deadline had passed)."""
    for _step in range(MAX_STEPS):
        inject = (
            exercise.injects.filter(applied_at__isnull=True, at__lte=target)
            .order_by("at", "seq")
            .first()
        )
        due = _next_deadline(exercise, target)
        if inject is None and due is None:
            return
        if due is not None and (inject is None or due <= inject.at):
            with clock.frozen_at(due):
                _sweep(exercise, due)
        else:
            assert inject is not None
            with clock.frozen_at(inject.at):
                apply_inject(exercise, inject)
    raise Conflict("exercise_runaway", _("The exercise produced too many events to play."))


def _next_deadline(exercise: Exercise, target: datetime) -> datetime | None:
    decisions = exercise_decisions(exercise)
    due = decisions.due(target).aggregate(at=Min("due_at"))["at"]
    redecide = decisions.filter(
        status=DecisionStatus.DECIDED, outcome=Outcome.DEFERRED, redecide_by__lte=target
    ).aggregate(at=Min("redecide_by"))["at"]
    alert = obligation_reminders.next_alert_at(exercise_obligations(exercise), target)
    found = [at for at in (due, redecide, alert) if at is not None]
    return min(found) if found else None


def exercise_obligations(exercise: Exercise):  # type: ignore[no-untyped-def]
    return Obligation.objects.filter(incident__exercise_link__exercise=exercise)


def _sweep(exercise: Exercise, now: datetime) -> None:
    """Rule D-3 and D-7 for this exercise's decisions, with the exercise's ``now``."""
    decisions = exercise_decisions(exercise)
    for pk in list(decisions.due(now).order_by("due_at", "pk").values_list("pk", flat=True)):
        sweep.decision_expire(pk=pk, now=now)
    deferred = decisions.filter(
        status=DecisionStatus.DECIDED, outcome=Outcome.DEFERRED, redecide_by__lte=now
    )
    for pk in list(deferred.order_by("redecide_by", "pk").values_list("pk", flat=True)):
        sweep.decision_reopen(pk=pk, now=now)
    # Obligations' soft due and due alert once each, on the exercise clock.
    obligation_reminders.obligation_alerts(exercise_obligations(exercise), now=now)
    if decisions.due(now).exists():  # a claim lost to a concurrent sweep: nothing else moves
        raise Conflict("exercise_busy", _("Another sweep is playing this exercise; try again."))


def apply_inject(exercise: Exercise, inject: ExerciseInject) -> DomainError | None:
    """Play one inject through the real services; a refusal is recorded (and returned), not
    raised."""
    inject.applied_at = clock.now()
    refused = None
    try:
        with transaction.atomic():
            inject.result = APPLIERS[inject.kind](exercise, inject)
    except DomainError as error:
        inject.error = str(error.message)[:500]
        refused = error
    inject.save(update_fields=["applied_at", "result", "error"])
    return refused


# --- Appliers: one per inject kind -----------------------------------------------------------


tag = players.tag


def _asset(exercise: Exercise, name: str) -> Asset:
    fields = players.asset_fields(exercise, name)
    return assets.asset_upsert(
        organisation_id=exercise.organisation_id,
        asset_tag=fields["asset_tag"],
        kind=fields["asset_kind"],
        holds_personal_data=fields["holds_personal_data"],
        holds_confidential_data=fields["holds_confidential_data"],
    )


def incident_of(exercise: Exercise, key: str | None = None) -> Incident:
    """The exercise's incident: the first one, or the one a report started under ``key``."""
    if key:
        started = (
            exercise.injects.filter(kind=InjectKind.REPORT, payload__incident=key)
            .exclude(applied_at__isnull=True)
            .filter(error="")
            .order_by("at", "seq")
            .values_list("result", flat=True)
        )
        pk = next((r.get("incident_id") for r in started if r.get("incident_id")), None)
        link = exercise.links.select_related("incident").filter(incident_id=pk).first()
    else:
        link = exercise.links.select_related("incident").order_by("id").first()
    if link is None:
        raise InvalidInput("no_exercise_incident", _("No report has started the incident yet."))
    return link.incident


def _mail(exercise: Exercise, key: str = "") -> dict[str, str]:
    """The scenario's email, made unique to this exercise (and to the incident ``key``) so its
    reports never group with a real incident's (or another exercise's, or another incident's
    of the same exercise) and real reports never join the exercise."""
    mail = exercise.scenario.get("mail") or {}
    label = f"EX{exercise.pk}" + (f"-{key}" if key else "")
    digest = hashlib.sha256(f"{label}:{mail.get('url', '')}".encode()).hexdigest()
    display = str(mail.get("sender") or "").split("<")[0].strip().strip('"') or "訓練"
    return {
        "sender": f'"{display}" <{label.lower()}@{DRILL_DOMAIN}>',
        "subject": f"【訓練 {label}】{mail.get('subject') or exercise.title}",
        "message_id": f"<{label.lower()}.{exercise.created_at:%Y%m%d%H%M%S}@{DRILL_DOMAIN}>",
        "url": f"https://{label.lower()}.{DRILL_DOMAIN}/{digest[:16]}",
        "attachment_name": str(mail.get("attachment_name") or "")[:255],
    }


def _report(exercise: Exercise, inject: ExerciseInject) -> dict[str, Any]:
    payload = inject.payload
    key = str(payload.get("incident") or "")
    reporter = str(payload["reporter"])
    now = clock.now()
    data = intake.ReportInput(
        channel="OTHER",
        category=exercise.scenario.get("category", "TARGETED_EMAIL"),
        what_happened=payload.get("what_happened", "OPENED_ATTACHMENT"),
        asset_label=tag(exercise, payload["asset"]) if payload.get("asset") else "",
        cable_pulled=payload.get("cable_pulled"),
        cable_pulled_at=now if payload.get("cable_pulled") else None,
        description=inject.text,
        reporter_name=f"{reporter}（訓練）",
        reporter_email=f"{_slug(reporter)}@ex{exercise.pk}.{DRILL_DOMAIN}",
        exercise=True,
        **_mail(exercise, key),
    )
    if payload.get("asset"):
        _asset(exercise, payload["asset"])
    report = intake.report_submit(organisation=exercise.organisation, actor=None, data=data)
    if report.incident_id is None and report.event_id is not None:
        incident = _start_incident(exercise, report.event)
        if payload.get("caused_by"):
            relations.incident_relate(
                incident=incident,
                related=incident_of(exercise, str(payload["caused_by"])),
                kind=RelationKind.CAUSED_BY,
                actor=players.actor(exercise, inject),
                note=inject.text,
            )
    report.refresh_from_db()
    incident = report.incident
    return {
        "report": report.number,
        "incident": incident.ref if incident else None,
        "incident_id": incident.pk if incident else None,
        "key": key,
    }


def _slug(name: str) -> str:
    return players.slug(name)


def _start_incident(exercise: Exercise, event: Any) -> Incident:
    """The facilitator accepts the exercise's first report at once: the incident is flagged
    before anything reads it outside this transaction."""
    incident = triage.event_promote(
        event=event,
        actor=exercise.started_by,
        category=exercise.scenario.get("category", "TARGETED_EMAIL"),
        title=f"【訓練】{exercise.title}"[:200],
        exercise=True,
    )
    ExerciseIncident.objects.create(exercise=exercise, incident=incident)
    return incident


def _observed(exercise: Exercise, inject: ExerciseInject) -> datetime | None:
    """When the organisation learned the inject's fact, if earlier than it was entered."""
    return players.at_offset(exercise, inject.payload.get("observed"))


def _c2_name(payload: dict[str, Any]) -> str:
    """X-2: the drill's C2 domain (``c2`` names one, ``to_c2`` takes the exercise's own)."""
    return str(payload.get("c2") or ("c2" if payload.get("to_c2") else ""))


def _incident(exercise: Exercise, inject: ExerciseInject) -> Incident:
    return incident_of(exercise, inject.payload.get("incident"))


def _infection(exercise: Exercise, inject: ExerciseInject) -> dict[str, Any]:
    payload = inject.payload
    incident = _incident(exercise, inject)
    players.record_fact(
        exercise,
        inject,
        incident,
        "infection",
        state=payload["state"],
        via=payload.get("via"),
        capability=payload.get("capability"),
    )
    affected = AffectedAsset.objects.get(
        incident=incident, asset__asset_tag=tag(exercise, payload["asset"])
    )
    return {
        "asset": payload["asset"],
        "state": affected.infection_state,
        "capability": affected.malware_capability,
    }


def _isolation(exercise: Exercise, inject: ExerciseInject) -> dict[str, Any]:
    """The asset isolated (``method``, default LAN_UNPLUG) as the affected-asset form does."""
    incident = _incident(exercise, inject)
    asset = _asset(exercise, inject.payload["asset"])
    actor = players.actor(exercise, inject)
    affected = AffectedAsset.objects.filter(incident=incident, asset=asset).first()
    method = inject.payload.get("method") or "LAN_UNPLUG"
    changes = {"containment_state": "ISOLATED", "isolation_method": method}
    observed = _observed(exercise, inject)
    if affected is None:
        assets.affected_asset_add(
            incident=incident, actor=actor, asset=asset, observed_at=observed, **changes
        )
    else:
        assets.affected_asset_update(
            affected=affected, actor=actor, changes=changes, observed_at=observed
        )
    return {
        "asset": inject.payload["asset"],
        "containment_state": "ISOLATED",
        "isolation_method": method,
    }


def _external_comm(exercise: Exercise, inject: ExerciseInject) -> dict[str, Any]:
    payload = inject.payload
    name = _c2_name(payload)
    incident = players.record_fact(
        exercise,
        inject,
        _incident(exercise, inject),
        "external_comm",
        status=payload["status"],
        c2=players.drill_domain(exercise, name) if name else "",
        blocked=bool(payload.get("blocked")),
        last_seen_at=players.at_offset(exercise, payload.get("last")),
        bytes_sent=payload.get("bytes"),
    )
    return {
        "external_comm_status": incident.external_comm_status,
        "blocked": bool(payload.get("blocked")),
    }


def _leak(exercise: Exercise, inject: ExerciseInject) -> dict[str, Any]:
    payload = inject.payload
    if payload.get("data_set"):
        return _data_set_leak(exercise, inject)
    incident = players.record_fact(
        exercise,
        inject,
        _incident(exercise, inject),
        "leak",
        status=payload["status"],
        personal_data=bool(payload.get("personal_data")),
    )
    return {"leak_status": incident.leak_status}


def _note(exercise: Exercise, inject: ExerciseInject) -> dict[str, Any]:
    return {}


def _data_set_leak(exercise: Exercise, inject: ExerciseInject) -> dict[str, Any]:
    """A leak of a data set of the inventory (A-1 a, d, e): the APPI assessment and its
    obligations follow, on the exercise clock."""
    payload = inject.payload
    incident = _incident(exercise, inject)
    data_set = DataSet.objects.filter(
        organisation_id=exercise.organisation_id, name=payload["data_set"]
    ).first()
    if data_set is None:
        raise InvalidInput("unknown_data_set", _("No data set of this name."), field="data_set")
    leak = privacy_leaks.data_leak_record(
        incident=incident,
        actor=players.actor(exercise, inject),
        data_set=data_set,
        kind=payload.get("leak_kind") or "EXFIL_SUSPECTED",
        individuals=payload.get("individuals"),
        **players.fact_times(exercise, inject),
    )
    incident.refresh_from_db()
    return {"leak_status": incident.leak_status, "data_set": data_set.name, "kind": leak.kind}


def _on_incident(play: Any) -> Any:
    def applier(exercise: Exercise, inject: ExerciseInject) -> dict[str, Any]:
        return play(exercise, inject, _incident(exercise, inject))

    return applier


APPLIERS = {
    InjectKind.REPORT: _report,
    InjectKind.INFECTION: _infection,
    InjectKind.ISOLATION: _isolation,
    InjectKind.EXTERNAL_COMM: _external_comm,
    InjectKind.LEAK: _leak,
    InjectKind.DELIVERY: _on_incident(players.play_delivery),
    InjectKind.INDICATOR: _on_incident(players.play_indicator),
    InjectKind.BLOCK: _on_incident(players.play_block),
    InjectKind.DECISION_OPEN: _on_incident(players.play_decision_open),
    InjectKind.DECIDE: _on_incident(players.play_decide),
    InjectKind.RATIFY: _on_incident(players.play_ratify),
    InjectKind.WITHDRAW: _on_incident(players.play_withdraw),
    InjectKind.TRANSITION: _on_incident(players.play_transition),
    InjectKind.TASK: _on_incident(players.play_task),
    InjectKind.COMMUNICATION: _on_incident(players.play_communication),
    InjectKind.OBLIGATION: _on_incident(players.play_obligation),
    InjectKind.NOTE: _note,
}
