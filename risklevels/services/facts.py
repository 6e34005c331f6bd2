"""Record a finding from a form or the API: one entry point over the X-rule services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import Http404

from accounts.models import User
from incidents import access
from incidents.models import Asset, Incident, MailDelivery
from incidents.services import assets as asset_services
from incidents.services import findings

FACT_KINDS = ("infection", "external_comm", "leak", "delivery_executed")


@transaction.atomic
def fact_record(
    *,
    incident: Incident,
    actor: User,
    kind: str,
    asset_tag: str = "",
    asset_kind: str = "PC",
    holds_personal_data: bool | None = None,
    state: str = "",
    via: str | None = None,
    status: str = "",
    to_c2: bool = False,
    personal_data: bool = False,
    delivery: int | None = None,
    occurred_at: datetime | None = None,
    observed_at: datetime | None = None,
    **_: Any,
) -> Incident:
    """Record the finding; the re-evaluation runs inside, so the answer is current."""
    access.require(access.can_edit_incidents(actor), "record findings")
    asset = _asset(incident, asset_tag, asset_kind, holds_personal_data) if asset_tag else None
    times = {"occurred_at": occurred_at, "observed_at": observed_at}
    if kind == "infection":
        findings.asset_infection_set(
            incident=incident, actor=actor, asset=asset, state=state, via=via or None, **times
        )
    elif kind == "external_comm":
        findings.external_comm_record(
            incident=incident, actor=actor, status=status, asset=asset, to_c2=to_c2, **times
        )
    elif kind == "leak":
        findings.leak_record(
            incident=incident,
            actor=actor,
            status=status,
            asset=asset,
            personal_data=personal_data,
            **times,
        )
    else:
        found = MailDelivery.objects.filter(pk=delivery, message__incident=incident).first()
        if found is None or asset is None:
            raise Http404
        findings.delivery_mark_executed(delivery=found, actor=actor, asset=asset, **times)
    incident.refresh_from_db()
    return incident


def _asset(incident: Incident, tag: str, kind: str, personal: bool | None) -> Asset:
    return asset_services.asset_upsert(
        organisation_id=incident.organisation_id,
        asset_tag=tag,
        hostname=tag,
        kind=kind or "PC",
        holds_personal_data=personal,
    )
