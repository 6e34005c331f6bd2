"""Services that move the facts the escalation rules read (X-1..X-4).

Each records a Fact (occurred_at / observed_at), updates the incident record, and calls the
facts-changed listeners in the same transaction, so the recommendation is current when the
request returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connections, router, transaction
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common import clock
from common.errors import InvalidInput
from common.prepared import Prepared
from incidents import access, extensions, lifecycle
from incidents.models import (
    AffectedAsset,
    Asset,
    Fact,
    FactKind,
    Incident,
    Indicator,
    MailDelivery,
)
from incidents.models import enums as e
from incidents.services import task_records
from incidents.services.timeline import timeline_append

RANK = {"NONE": 0, "SUSPECTED": 1, "CONFIRMED": 2}


def _times(occurred_at: datetime | None, observed_at: datetime | None) -> tuple[datetime, datetime]:
    observed = observed_at or clock.now()
    occurred = occurred_at or observed
    if occurred > observed:
        raise InvalidInput(
            "occurred_after_observed",
            _("A fact cannot happen after it was observed."),
            field="occurred_at",
        )
    if observed > clock.now():
        raise InvalidInput(
            "observed_in_future", _("A fact cannot be observed in the future."), field="observed_at"
        )
    return occurred, observed


def fact_times(
    occurred_at: datetime | None, observed_at: datetime | None
) -> tuple[datetime, datetime]:
    """(occurred, observed) of a fact: observed now by default, occurred when observed; 400
    when it happened after it was observed or is observed in the future."""
    return _times(occurred_at, observed_at)


def observed_time(observed_at: datetime | None) -> datetime:
    """When the organisation learned a fact: now, or earlier when it is recorded late."""
    return _times(None, observed_at)[1]


def fact_record(
    *,
    incident: Incident,
    kind: str,
    actor: User | None,
    occurred_at: datetime,
    observed_at: datetime,
    asset: Asset | None = None,
    data: dict[str, Any] | None = None,
) -> Fact:
    return Fact.objects.create(
        incident=incident,
        kind=kind,
        asset=asset,
        data=data or {},
        occurred_at=occurred_at,
        observed_at=observed_at,
        recorded_by=actor,
    )


TRACKED_STATES = ("infection_state", "containment_state", "remediation_state")


def tracked_states(affected: AffectedAsset) -> dict[str, str]:
    """The states whose changes are facts (an infection, an isolation, a remediation)."""
    return {name: getattr(affected, name) for name in TRACKED_STATES}


def after_asset_change(
    *,
    affected: AffectedAsset,
    before: dict[str, Any],
    actor: User | None,
    observed_at: datetime,
    occurred_at: datetime | None = None,
    incident_status: str | None = None,
) -> None:
    """Record what changed on an affected asset and let the listeners re-evaluate.
    ``incident_status``: the incident's status, when the caller read it under the incident's
    row lock in this transaction."""
    occurred = occurred_at or observed_at
    incident = affected.incident
    became_infected = (
        before.get("infection_state") not in e.EFFECTIVE_INFECTION
        and affected.infection_state in e.EFFECTIVE_INFECTION
    )
    if became_infected and affected.infection_observed_at is None:
        AffectedAsset.objects.filter(pk=affected.pk).update(infection_observed_at=observed_at)
        affected.restate_update(infection_observed_at=observed_at)  # the statistics rollup
        affected.infection_observed_at = observed_at
    for name, kind in (
        ("infection_state", FactKind.ASSET_INFECTION),
        ("containment_state", FactKind.ASSET_CONTAINMENT),
        ("remediation_state", FactKind.ASSET_REMEDIATION),
    ):
        if before.get(name) != getattr(affected, name):
            fact_record(
                incident=incident,
                kind=kind,
                actor=actor,
                asset=affected.asset,
                occurred_at=occurred,
                observed_at=observed_at,
                data={
                    "from": before.get(name),
                    "to": getattr(affected, name),
                    "via": affected.infection_via,
                },
            )
    if became_infected:
        _reinfection_cycle(incident, actor, incident_status)
    task_records.tasks_reconcile(incident=incident, actor=actor, kinds=("asset",))
    extensions.facts_changed(incident, actor, observed_at)


# Statuses a new infection sends back to containment (§3.1).
REINFECTION_FROM = (e.IncidentStatus.RECOVERING, e.IncidentStatus.MONITORING)


def _reinfection_cycle(incident: Incident, actor: User | None, status: str | None = None) -> None:
    """A new infection while recovering or monitoring sends the incident back (§3.1).
    ``status``: the incident's status read under its row lock earlier in this transaction
    (``asset_infection_set``): any other status needs no second read (issue 20)."""
    if status is not None and status not in REINFECTION_FROM:
        return
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if (locked.status, e.IncidentStatus.CONTAINING) in lifecycle.TRANSITIONS and locked.status in (
        REINFECTION_FROM
    ):
        previous = locked.status
        locked.status = e.IncidentStatus.CONTAINING
        locked.save(update_fields=["status", "updated_at"])
        timeline_append(
            incident=locked,
            kind="incident.status_changed",
            actor=actor,
            payload={"from": previous, "to": locked.status, "reason": "reinfection"},
        )


# Compiled once per thread (issue 20: every fact change on an asset reads them).
_AFFECTED_LOCKED = Prepared(
    lambda incident_id, asset_id: AffectedAsset.objects.select_for_update().filter(
        incident_id=incident_id, asset_id=asset_id
    )
)
_INCIDENT_LOCKED = Prepared(
    lambda incident_id: (
        Incident.objects.select_for_update().filter(pk=incident_id).values_list("status")
    )
)


def _affected(incident: Incident, asset: Asset) -> AffectedAsset:
    """The asset's row on the incident, locked; when the asset is not on the incident yet, an
    unsaved row with every state at its default, which ``asset_infection_set`` inserts with
    its final fields (issue 20: get_or_create then save() was a read, a savepoint, an insert
    and a full update)."""
    if asset.organisation_id != incident.organisation_id:
        raise InvalidInput("asset_not_found", _("No such asset."), field="asset")
    found = _AFFECTED_LOCKED(incident.pk, asset.pk)
    affected = found[0] if found else AffectedAsset(incident=incident, asset=asset)
    affected.incident, affected.asset = incident, asset
    return affected


def _inserted(affected: AffectedAsset) -> bool:
    """``INSERT … ON CONFLICT DO NOTHING`` of a new row: False when another transaction
    inserted the same asset on the incident since ``_affected`` looked (nothing is written;
    the caller then changes that row). No savepoint: a unique violation would abort the
    caller's transaction, this cannot raise one."""
    meta = AffectedAsset._meta
    using = router.db_for_write(AffectedAsset, instance=affected)
    query = InsertQuery(AffectedAsset, on_conflict=OnConflict.IGNORE)
    query.insert_values([f for f in meta.local_concrete_fields if f is not meta.pk], [affected])
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = [meta.pk]
    ((sql, params),) = compiler.as_sql()
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    affected.pk = row[0]
    affected._state.adding, affected._state.db = False, using
    affected.restate_insert()  # the statistics rollup, as save() of a new row
    return True


@dataclass(frozen=True)
class _Infection:
    state: str
    via: str | None
    capability: str | None
    occurred: datetime
    observed: datetime


def _infection_apply(affected: AffectedAsset, change: _Infection) -> dict[str, str]:
    """Set the infection fields on the row (not saved); return its tracked states before."""
    before = tracked_states(affected)
    affected.infection_state = change.state
    if change.via:
        affected.infection_via = change.via
    if change.capability:
        affected.malware_capability = change.capability
    effective = change.state in e.EFFECTIVE_INFECTION
    if effective and affected.first_infected_at is None:
        affected.first_infected_at = change.occurred
    if (
        effective
        and before["infection_state"] not in e.EFFECTIVE_INFECTION
        and affected.infection_observed_at is None
    ):  # written with the state, not by a second UPDATE in after_asset_change (issue 20)
        affected.infection_observed_at = change.observed
    return before


# What an infection changes on an existing row (the UPDATE names only these).
INFECTION_FIELDS = (
    "infection_state",
    "infection_via",
    "malware_capability",
    "first_infected_at",
    "infection_observed_at",
    "updated_at",
)


def _infection_write(
    incident: Incident, asset: Asset, change: _Infection
) -> tuple[AffectedAsset, dict[str, str]]:
    """The asset's row with the infection written (an UPDATE of the locked row, or one INSERT
    with the final fields) and its tracked states before."""
    affected = _affected(incident, asset)
    before = _infection_apply(affected, change)
    if not affected._state.adding:
        affected.save(update_fields=INFECTION_FIELDS)
    elif not _inserted(affected):  # added by another transaction since: change its row
        return _infection_write(incident, asset, change)
    return affected, before


@transaction.atomic
def asset_infection_set(
    *,
    incident: Incident,
    actor: User | None,
    asset: Asset,
    state: str,
    via: str | None = None,
    capability: str | None = None,
    occurred_at: datetime | None = None,
    observed_at: datetime | None = None,
) -> AffectedAsset:
    """Set an asset's infection state (a server reaching COMPROMISED feeds rule L3-b)."""
    if actor is not None:
        access.require(access.can_record_facts(actor, incident), "record infections")
    if state not in e.InfectionState.values:
        raise InvalidInput("invalid_choice", _("Unknown infection state."), field="state")
    occurred, observed = _times(occurred_at, observed_at)
    change = _Infection(state, via, capability, occurred, observed)
    affected, before = _infection_write(incident, asset, change)
    # The incident's row lock, taken once for the timeline and the reinfection check (issue
    # 20: each took it before), after the asset's row as every change of an asset does.
    (status,) = _INCIDENT_LOCKED(incident.pk)[0]
    timeline_append(
        incident=incident,
        kind="asset.infection",
        actor=actor,
        payload={
            "asset": asset.asset_tag,
            "from": before["infection_state"],
            "to": state,
            "via": affected.infection_via,
            "occurred_at": occurred,
            "observed_at": observed,
        },
        locked=True,
    )
    after_asset_change(
        affected=affected,
        before=before,
        actor=actor,
        observed_at=observed,
        occurred_at=occurred,
        incident_status=status,
    )
    return affected


@transaction.atomic
def delivery_mark_executed(
    *,
    delivery: MailDelivery,
    actor: User | None,
    asset: Asset,
    occurred_at: datetime | None = None,
    observed_at: datetime | None = None,
) -> AffectedAsset:
    """X-1: the recipient executed the attachment → their PC is suspected infected (MAIL)."""
    occurred, observed = _times(occurred_at, observed_at)
    MailDelivery.objects.filter(pk=delivery.pk).update(
        executed=True, opened_attachment_at=delivery.opened_attachment_at or occurred
    )
    incident = delivery.message.incident
    fact_record(
        incident=incident,
        kind=FactKind.MAIL_EXECUTED,
        actor=actor,
        asset=asset,
        occurred_at=occurred,
        observed_at=observed,
        data={"delivery": delivery.pk},
    )
    affected = _affected(incident, asset)
    state = affected.infection_state
    raised = state if e.INFECTION_RANK[state] >= e.INFECTION_RANK["SUSPECTED"] else "SUSPECTED"
    via = affected.infection_via if affected.infection_via != "UNKNOWN" else e.InfectionVia.MAIL
    return asset_infection_set(
        incident=incident,
        actor=actor,
        asset=asset,
        state=raised,
        via=via,
        occurred_at=occurred,
        observed_at=observed,
    )


@dataclass(frozen=True)
class _Finding:
    incident: Incident  # locked
    occurred: datetime
    observed: datetime


def _suspicion_record(
    *,
    incident: Incident,
    actor: User | None,
    status: str,
    field: str,
    kind: str,
    asset: Asset | None,
    data: dict[str, Any],
    action: str,
    occurred_at: datetime | None,
    observed_at: datetime | None,
    permission_checked: bool = False,
) -> _Finding:
    """X-2/X-3: raise a NONE/SUSPECTED/CONFIRMED field (never lower it), record the fact and
    the timeline entry."""
    if actor is not None and not permission_checked:
        access.require(access.can_record_facts(actor, incident), action)
    if status not in ("SUSPECTED", "CONFIRMED"):
        raise InvalidInput("invalid_choice", _("Suspected or confirmed."), field="status")
    occurred, observed = _times(occurred_at, observed_at)
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if RANK[status] > RANK[getattr(locked, field)]:
        setattr(locked, field, status)
        locked.save(update_fields=[field, "updated_at"])
    payload = {"status": status, **data}
    fact_record(
        incident=locked,
        kind=kind,
        actor=actor,
        asset=asset,
        occurred_at=occurred,
        observed_at=observed,
        data=payload,
    )
    timeline_append(
        incident=locked,
        kind=f"finding.{kind.lower()}",
        actor=actor,
        payload={
            **payload,
            "asset": asset.asset_tag if asset else None,
            "occurred_at": occurred,
            "observed_at": observed,
        },
    )
    return _Finding(locked, occurred, observed)


@transaction.atomic
def external_comm_record(
    *,
    incident: Incident,
    actor: User | None,
    status: str,
    asset: Asset | None = None,
    c2: Indicator | None = None,
    blocked: bool = False,
    occurred_at: datetime | None = None,
    observed_at: datetime | None = None,
    last_seen_at: datetime | None = None,
    bytes_sent: int | None = None,
) -> Incident:
    """X-2: unauthorised communication to the outside, suspected or confirmed; ``c2`` is the
    incident's C2 indicator it went to, if known. ``occurred_at`` is the first connection seen,
    ``last_seen_at`` the last, ``bytes_sent`` how much went out, ``blocked`` whether it was
    stopped. Confirmed traffic from a host to a C2 indicator makes the host suspected
    infected."""
    if last_seen_at is not None and (
        last_seen_at > clock.now() or (occurred_at is not None and last_seen_at < occurred_at)
    ):
        raise InvalidInput(
            "last_seen_out_of_range",
            _("The last connection falls between the first one and now."),
            field="last_seen_at",
        )
    if c2 is not None and (c2.incident_id != incident.pk or c2.kind not in e.C2_KINDS):
        raise InvalidInput(
            "not_a_c2_indicator",
            _("Choose a C2 domain or C2 IP indicator of this incident."),
            field="c2_indicator",
        )
    found = _suspicion_record(
        incident=incident,
        actor=actor,
        status=status,
        field="external_comm_status",
        kind=FactKind.EXTERNAL_COMM,
        asset=asset,
        data={
            "c2_indicator": c2.pk if c2 else None,
            "c2": c2.value if c2 else "",
            "blocked": blocked,
            **({"last_seen_at": last_seen_at.isoformat()} if last_seen_at else {}),
            **({"bytes_sent": bytes_sent} if bytes_sent is not None else {}),
        },
        action="record external communication",
        occurred_at=occurred_at,
        observed_at=observed_at,
    )
    if asset is not None and status == "CONFIRMED" and c2 is not None:
        affected = _affected(found.incident, asset)
        if e.INFECTION_RANK[affected.infection_state] < e.INFECTION_RANK["SUSPECTED"]:
            return asset_infection_set(
                incident=found.incident,
                actor=actor,
                asset=asset,
                state="SUSPECTED",
                occurred_at=found.occurred,
                observed_at=found.observed,
            ).incident
    extensions.facts_changed(found.incident, actor, found.observed)
    return found.incident


@transaction.atomic
def leak_record(
    *,
    incident: Incident,
    actor: User | None,
    status: str,
    asset: Asset | None = None,
    personal_data: bool = False,
    occurred_at: datetime | None = None,
    observed_at: datetime | None = None,
    data_set: dict[str, Any] | None = None,
    permission_checked: bool = False,
) -> Incident:
    """X-3: a data leak, suspected or confirmed, from an asset or a shared store (no asset).
    ``data_set`` describes the data set it is a leak of, when an app above records one
    (privacy: ``{"id", "name", "kind", "sensitive"}``); the rules read it (L3-a). That app
    checks who may record it (``permission_checked``: legal/privacy records leaks too)."""
    found = _suspicion_record(
        incident=incident,
        actor=actor,
        status=status,
        field="leak_status",
        kind=FactKind.LEAK,
        asset=asset,
        data={
            "personal_data": personal_data,
            "asset_kind": asset.kind if asset else None,
            **({"data_set": data_set} if data_set else {}),
        },
        action="record leaks",
        occurred_at=occurred_at,
        observed_at=observed_at,
        permission_checked=permission_checked,
    )
    extensions.facts_changed(found.incident, actor, found.observed)
    return found.incident
