"""Record a finding from a form or the API: one entry point over the X-rule services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.errors import InvalidInput
from incidents import access
from incidents.models import Incident, Indicator, MailDelivery
from incidents.services import assets as asset_services
from incidents.services import findings
from incidents.services import indicators as indicator_services

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
    holds_confidential_data: bool | None = None,
    state: str = "",
    via: str | None = None,
    capability: str | None = None,
    status: str = "",
    c2_indicator: int | None = None,
    c2: str = "",
    personal_data: bool = False,
    delivery: int | None = None,
    blocked: bool = False,
    last_seen_at: datetime | None = None,
    bytes_sent: int | None = None,
    occurred_at: datetime | None = None,
    observed_at: datetime | None = None,
    **_: Any,
) -> Incident:
    """Record the finding; the re-evaluation runs inside, so the answer is current."""
    access.require(access.can_record_facts(actor, incident), "record findings")
    asset = (
        asset_services.asset_upsert(
            organisation_id=incident.organisation_id,
            asset_tag=asset_tag,
            hostname=asset_tag,
            kind=asset_kind or "PC",
            holds_personal_data=holds_personal_data,
            holds_confidential_data=holds_confidential_data,
        )
        if asset_tag
        else None
    )
    times = {"occurred_at": occurred_at, "observed_at": observed_at}
    if kind == "infection":
        findings.asset_infection_set(
            incident=incident,
            actor=actor,
            asset=asset,
            state=state,
            via=via or None,
            capability=capability or None,
            **times,
        )
    elif kind == "external_comm":
        findings.external_comm_record(
            incident=incident,
            actor=actor,
            status=status,
            asset=asset,
            c2=_c2(incident, actor, c2_indicator, c2),
            blocked=blocked,
            last_seen_at=last_seen_at,
            bytes_sent=bytes_sent,
            **times,
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


def _c2(incident: Incident, actor: User, pk: int | None, value: str) -> Indicator | None:
    """X-2: the C2 indicator named by id, or by its domain / IP (added to the incident)."""
    if pk is not None:
        found = Indicator.objects.filter(pk=pk, incident=incident).first()
        if found is None:
            raise InvalidInput(
                "not_a_c2_indicator",
                _("Choose a C2 domain or C2 IP indicator of this incident."),
                field="c2_indicator",
            )
        return found
    if value.strip():
        return indicator_services.c2_indicator_for(incident=incident, actor=actor, value=value)
    return None
