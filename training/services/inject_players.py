"""Players of the exercise injects beyond the first facts: each calls the service the normal
screen calls, with the person who acts, so an inject lands as the record that screen makes.

The facts (infection, isolation, external communication, leak, an executed attachment) go
through ``risklevels.services.facts.fact_record``, the service of the fact form and
``POST /api/v1/incidents/{ref}/facts/``; mail deliveries through ``incidents.services.mail``;
indicators through ``incidents.services.indicators``; decisions through ``bcp.services``;
transitions, tasks, communications (``comms``) and obligations (``privacy``) through theirs.

Every name that could meet a real record is made the exercise's own: assets are
``EX<id>-<tag>``, domains ``<name>.ex<id>.drill.invalid``, IP addresses fall in TEST-NET-1
(192.0.2.0/24, RFC 5737), hashes are re-hashed with the exercise's label.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from bcp.enums import DecisionStatus
from bcp.models import Decision
from bcp.services import decisions, manual
from common.errors import InvalidInput
from comms.models import Communication
from comms.services import communications
from incidents.models import Incident, Indicator, MailDelivery, Task
from incidents.models import enums as e
from incidents.services import indicators, mail, tasks, transitions
from privacy.models import Obligation
from privacy.services import obligations
from risklevels.services import facts
from training import scenario
from training.models import Exercise, ExerciseInject

DRILL_DOMAIN = "drill.invalid"  # RFC 2606: never a real address, never a real indicator


def slug(name: str) -> str:
    ascii_name = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())
    return ascii_name or hashlib.sha256(name.encode()).hexdigest()[:8]


def drill_domain(exercise: Exercise, name: str) -> str:
    return f"{slug(name)}.ex{exercise.pk}.{DRILL_DOMAIN}"


def drill_value(exercise: Exercise, kind: str, value: str) -> str:
    """The exercise's own form of an indicator: it can never match a real one."""
    label = f"ex{exercise.pk}"
    digest = hashlib.sha256(f"{label}:{value}".encode()).hexdigest()
    if kind in (e.IndicatorKind.DOMAIN, e.IndicatorKind.C2_DOMAIN):
        return drill_domain(exercise, value)
    if kind == e.IndicatorKind.URL:
        return f"https://{drill_domain(exercise, value)}/{digest[:12]}"
    if kind == e.IndicatorKind.SENDER_ADDRESS:
        return f"{slug(value)[:40]}@{label}.{DRILL_DOMAIN}"
    if kind in (e.IndicatorKind.IP, e.IndicatorKind.C2_IP):
        return f"192.0.2.{int(digest[:4], 16) % 254 + 1}"
    if kind == e.IndicatorKind.FILE_SHA256:
        return digest
    return f"[EX{exercise.pk}] {value}"[:2000]


def at_offset(exercise: Exercise, value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    return exercise.starts_at + scenario.parse_offset(value)


# --- Who acts --------------------------------------------------------------------------------


def person(exercise: Exercise, name: str) -> User:
    """``by``: a role (its primary holder) or a user name or email of the organisation."""
    if name in Role.values:
        holder = (
            RoleAssignment.objects.holders_of(exercise.organisation, name)
            .select_related("user")
            .first()
        )
        if holder is not None:
            return holder.user
    found = (
        User.objects.filter(organisation_id=exercise.organisation_id, is_active=True)
        .filter(Q(username=name) | Q(email__iexact=name))
        .first()
    )
    if found is None:
        raise InvalidInput("unknown_participant", _("No such person or role."), field="by")
    return found


def actor(exercise: Exercise, inject: ExerciseInject, fallback: User | None = None) -> User:
    """Who the inject acts as: ``by``, else the person who posted it, else ``fallback`` (the
    decision's assignee …), else the facilitator."""
    if inject.payload.get("by"):
        return person(exercise, str(inject.payload["by"]))
    return inject.posted_by or fallback or exercise.started_by


# --- Facts through the fact service of the normal screens -------------------------------------


def tag(exercise: Exercise, name: str) -> str:
    """Exercise assets are the exercise's own: real inventory rows are never touched."""
    return f"EX{exercise.pk}-{name}"[:64]


def asset_fields(exercise: Exercise, name: str) -> dict[str, Any]:
    spec = next((a for a in exercise.scenario.get("assets") or [] if a.get("tag") == name), {})
    return {
        "asset_tag": tag(exercise, name),
        "asset_kind": spec.get("kind", "PC"),
        "holds_personal_data": spec.get("holds_personal_data"),
        "holds_confidential_data": spec.get("holds_confidential_data"),
    }


def fact_times(exercise: Exercise, inject: ExerciseInject) -> dict[str, datetime | None]:
    return {
        "occurred_at": at_offset(exercise, inject.payload.get("occurred")),
        "observed_at": at_offset(exercise, inject.payload.get("observed")),
    }


def record_fact(
    exercise: Exercise, inject: ExerciseInject, incident: Incident, kind: str, **fields: Any
) -> Incident:
    payload = inject.payload
    if payload.get("asset"):
        fields.update(asset_fields(exercise, str(payload["asset"])))
    return facts.fact_record(
        incident=incident,
        actor=actor(exercise, inject),
        kind=kind,
        **fields,
        **fact_times(exercise, inject),
    )


# --- Mail deliveries -------------------------------------------------------------------------


def play_delivery(exercise: Exercise, inject: ExerciseInject, incident: Incident) -> dict:
    """One recipient's copy of the incident's email: added the first time, updated after;
    ``executed`` records X-1 (the recipient's PC suspected infected) on ``asset``."""
    payload = inject.payload
    who = actor(exercise, inject)
    name = str(payload["recipient"])[:200]
    changes: dict[str, Any] = {}
    for field, column in (
        ("delivered", "delivered_at"),
        ("reported", "reported_at"),
        ("deleted", "deleted_at"),
    ):
        if payload.get(field) not in (None, ""):
            changes[column] = at_offset(exercise, payload[field])
    if payload.get("blocked") is not None:
        changes["blocked"] = bool(payload["blocked"])
    found = MailDelivery.objects.filter(message__incident=incident, recipient_name=name).first()
    if found is None:
        found = mail.delivery_add(
            incident=incident,
            actor=who,
            recipient_name=name,
            recipient_email=f"{slug(name)[:40]}@ex{exercise.pk}.{DRILL_DOMAIN}",
            **changes,
        )
    elif changes:
        found = mail.delivery_update(delivery=found, actor=who, changes=changes)
    if payload.get("executed"):
        if not payload.get("asset"):
            raise InvalidInput(
                "asset_required", _("Say on which terminal it was executed."), field="asset"
            )
        record_fact(exercise, inject, incident, "delivery_executed", delivery=found.pk)
    return {"delivery": found.pk, "recipient": name}


# --- Indicators ------------------------------------------------------------------------------


def play_indicator(exercise: Exercise, inject: ExerciseInject, incident: Incident) -> dict:
    payload = inject.payload
    who = actor(exercise, inject)
    kind = str(payload["ioc_kind"])
    value = drill_value(exercise, kind, str(payload["value"]))
    if kind in e.C2_KINDS:
        indicator = indicators.c2_indicator_for(incident=incident, actor=who, value=value)
    else:
        indicator = indicators.indicator_add(incident=incident, actor=who, kind=kind, value=value)
    if payload.get("blocked_by"):
        indicator = indicators.indicator_block(
            indicator=indicator, actor=who, blocked_by=str(payload["blocked_by"])
        )
    return {"indicator": indicator.pk, "value": indicator.value, "blocked_by": indicator.blocked_by}


def play_block(exercise: Exercise, inject: ExerciseInject, incident: Incident) -> dict:
    """Block one of the incident's indicators, named as the scenario named it."""
    name = str(inject.payload["value"])
    found = next(
        (
            i
            for i in Indicator.objects.filter(incident=incident).order_by("id")
            if i.value in (drill_value(exercise, i.kind, name), name)
        ),
        None,
    )
    if found is None:
        raise InvalidInput("unknown_indicator", _("No such indicator."), field="value")
    blocked = indicators.indicator_block(
        indicator=found,
        actor=actor(exercise, inject),
        blocked_by=str(inject.payload["blocked_by"]),
    )
    return {"indicator": blocked.pk, "value": blocked.value, "blocked_by": blocked.blocked_by}


# --- Decisions -------------------------------------------------------------------------------


def decision_of(incident: Incident, payload: dict[str, Any], *statuses: str) -> Decision:
    found = Decision.objects.filter(incident=incident, type=payload["type"])
    if payload.get("target_level") is not None:
        found = found.filter(target_level=payload["target_level"])
    if statuses:
        found = found.filter(status__in=statuses)
    decision = found.order_by("-opened_at", "-id").first()
    if decision is None:
        raise InvalidInput("no_such_decision", _("The incident has no such decision."))
    return decision


def play_decision_open(exercise: Exercise, inject: ExerciseInject, incident: Incident) -> dict:
    payload = inject.payload
    decision = manual.decision_open_by_hand(
        incident=incident,
        actor=actor(exercise, inject),
        decision_type=str(payload["type"]),
        reason=str(payload["reason"]),
        recommendation=str(payload.get("recommendation") or "NONE"),
        target_level=payload.get("target_level"),
    )
    return {"decision": decision.pk, "type": decision.type}


def play_decide(exercise: Exercise, inject: ExerciseInject, incident: Incident) -> dict:
    """The open decision of the type, decided by ``by`` or else its assignee."""
    payload = inject.payload
    decision = decision_of(incident, payload, DecisionStatus.OPEN)
    decided = decisions.decision_decide(
        decision=decision,
        actor=actor(exercise, inject, decision.assignee),
        outcome=str(payload["outcome"]),
        rationale=str(payload.get("rationale") or inject.text or ""),
        scope=payload.get("scope"),
    )
    return {"decision": decided.pk, "type": decided.type, "outcome": decided.outcome}


def play_ratify(exercise: Exercise, inject: ExerciseInject, incident: Incident) -> dict:
    """A deputy's decision confirmed by ``by``, or else the role's primary holder."""
    decision = decision_of(incident, inject.payload, DecisionStatus.DECIDED)
    role = decision.ratifying_role or decision.required_role
    primary = (
        RoleAssignment.objects.holders_of(exercise.organisation, role)
        .select_related("user")
        .first()
    )
    ratified = decisions.decision_ratify(
        decision=decision,
        actor=actor(exercise, inject, primary.user if primary else None),
    )
    return {"decision": ratified.pk, "type": ratified.type, "ratified": True}


def play_withdraw(exercise: Exercise, inject: ExerciseInject, incident: Incident) -> dict:
    decision = decision_of(incident, inject.payload, DecisionStatus.OPEN)
    withdrawn = manual.decision_withdraw(
        decision=decision, actor=actor(exercise, inject), reason=str(inject.payload["reason"])
    )
    return {"decision": withdrawn.pk, "type": withdrawn.type, "status": withdrawn.status}


# --- The incident's status and tasks ---------------------------------------------------------


def play_transition(exercise: Exercise, inject: ExerciseInject, incident: Incident) -> dict:
    moved = transitions.incident_transition(
        incident=incident,
        target=str(inject.payload["to"]),
        actor=actor(exercise, inject),
        reason=str(inject.payload.get("reason") or ""),
    )
    return {"status": moved.status}


def play_task(exercise: Exercise, inject: ExerciseInject, incident: Incident) -> dict:
    """Finish the incident's open task with this code (done, or waived with a note)."""
    payload = inject.payload
    task = (
        Task.objects.filter(incident=incident, code=payload["code"], status="OPEN")
        .order_by("id")
        .first()
    )
    if task is None:
        raise InvalidInput("no_open_task", _("The incident has no open task with this code."))
    finished = tasks.task_finish(
        task=task,
        actor=actor(exercise, inject),
        status=str(payload.get("status") or "DONE"),
        note=str(payload.get("note") or ""),
    )
    return {"task": finished.pk, "code": finished.code, "status": finished.status}


# --- Communications (comms) and obligations (privacy) ----------------------------------------


def play_communication(exercise: Exercise, inject: ExerciseInject, incident: Incident) -> dict:
    """A message drafted (the first inject with its subject), then approved and sent as the
    communications page moves it: DRAFT → APPROVED → SENT."""
    payload = inject.payload
    who = actor(exercise, inject)
    subject = str(payload["subject"])[:300]
    message = (
        Communication.objects.filter(incident=incident, subject=subject).order_by("id").first()
    )
    if message is None:
        message = communications.communication_draft(
            incident=incident,
            actor=who,
            audience=str(payload["audience"]),
            subject=subject,
            channel=str(payload.get("channel") or "EMAIL"),
            body=str(payload.get("body") or inject.text or ""),
        )
    wanted = str(payload.get("status") or "DRAFT")
    steps = {"DRAFT": [], "APPROVED": ["APPROVED"], "SENT": ["APPROVED", "SENT"]}[wanted]
    for step in steps:
        if message.status == step or (step == "APPROVED" and message.status == "SENT"):
            continue
        message = communications.communication_move(
            communication=message,
            actor=who,
            status=step,
            reference=str(payload.get("reference") or "") or str(_("Exercise")),
        )
    return {"communication": message.pk, "status": message.status}


def play_obligation(exercise: Exercise, inject: ExerciseInject, incident: Incident) -> dict:
    """``add`` an obligation by hand (due ``due``), or mark the incident's one ``done`` (with
    ``reference_no``) or ``waive`` it (with ``reason``)."""
    payload = inject.payload
    who = actor(exercise, inject)
    kind = str(payload["obligation_kind"])
    action = str(payload.get("action") or "add")
    if action == "add":
        added = obligations.obligation_add(
            incident=incident,
            actor=who,
            kind=kind,
            due_at=at_offset(exercise, payload.get("due")),
            note=inject.text,
        )
        return {"obligation": added.pk, "kind": kind, "status": added.status}
    found = Obligation.objects.filter(incident=incident, kind=kind).first()
    if found is None:
        raise InvalidInput("no_such_obligation", _("The incident has no such obligation."))
    if action == "done":
        moved = obligations.obligation_done(
            obligation=found, actor=who, reference_no=str(payload.get("reference_no") or "")
        )
    else:
        moved = obligations.obligation_waive(
            obligation=found, actor=who, reason=str(payload.get("reason") or inject.text or "")
        )
    return {"obligation": moved.pk, "kind": kind, "status": moved.status}
