"""Indicators of compromise: add, and record where and when they were blocked."""

from __future__ import annotations

import ipaddress

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common import clock
from common.errors import Conflict, InvalidInput
from incidents import access
from incidents.models import Incident, Indicator
from incidents.models.enums import BlockPoint, IndicatorKind, Tlp
from incidents.services import task_records
from incidents.services.records import indicator_normalise
from incidents.services.timeline import timeline_append


@transaction.atomic
def indicator_add(
    *, incident: Incident, actor: User, kind: str, value: str, tlp: str = Tlp.AMBER_STRICT
) -> Indicator:
    access.require(access.can_edit_incidents(actor), "add indicators")
    if kind not in IndicatorKind.values:
        raise InvalidInput("invalid_choice", _("Unknown indicator kind."), field="kind")
    norm, digest = indicator_normalise(kind, value)
    now = clock.now()
    try:
        with transaction.atomic():
            indicator = Indicator.objects.create(
                organisation_id=incident.organisation_id,
                incident=incident,
                kind=kind,
                value=value.strip()[:2000],
                normalized=norm[:2000],
                digest=digest,
                tlp=tlp,
                first_seen=now,
                last_seen=now,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise Conflict("indicator_exists", _("This indicator is already recorded.")) from exc
    timeline_append(
        incident=incident,
        kind="indicator.added",
        actor=actor,
        payload={"kind": kind, "value": indicator.value, "tlp": tlp},
    )
    task_records.tasks_reconcile(incident=incident, actor=actor, kinds=("indicator",))
    return indicator


@transaction.atomic
def indicator_block(*, indicator: Indicator, actor: User, blocked_by: str) -> Indicator:
    access.require(access.can_edit_incidents(actor), "block indicators")
    if blocked_by not in BlockPoint.values:
        raise InvalidInput("invalid_choice", _("Unknown blocking point."), field="blocked_by")
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    indicator.blocked_by = blocked_by
    indicator.blocked_at = indicator.blocked_at or clock.now()
    indicator.save(update_fields=["blocked_by", "blocked_at", "updated_at"])
    timeline_append(
        incident=indicator.incident,
        kind="indicator.blocked",
        actor=actor,
        payload={"kind": indicator.kind, "value": indicator.value, "blocked_by": blocked_by},
    )
    task_records.tasks_reconcile(incident=indicator.incident, actor=actor, kinds=("indicator",))
    return indicator


@transaction.atomic
def indicator_tlp_set(*, indicator: Indicator, actor: User, tlp: str) -> Indicator:
    """Change an indicator's TLP after it is recorded (issue 22 item 5): what may leave through
    the exports, the guest pages and the report PDF follows (``incidents.tlp.within``)."""
    access.require(access.can_edit_incidents(actor), "change an indicator's TLP")
    if tlp not in Tlp.values:
        raise InvalidInput("invalid_choice", _("Choose a TLP from the list."), field="tlp")
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = indicator.tlp
    if before == tlp:
        return indicator
    indicator.tlp = tlp
    indicator.save(update_fields=["tlp", "updated_at"])
    timeline_append(
        incident=indicator.incident,
        kind="indicator.tlp_changed",
        actor=actor,
        payload={
            "kind": indicator.kind,
            "value": indicator.value,
            "previous_tlp": before,
            "tlp": tlp,
        },
    )
    return indicator


def c2_indicator_for(*, incident: Incident, actor: User | None, value: str) -> Indicator:
    """X-2: the incident's C2 indicator for a domain or an IP address, added if new."""
    kind = IndicatorKind.C2_IP if _is_ip(value) else IndicatorKind.C2_DOMAIN
    norm, digest = indicator_normalise(kind, value)
    now = clock.now()
    indicator, created = Indicator.objects.get_or_create(
        incident=incident,
        kind=kind,
        digest=digest,
        defaults={
            "organisation_id": incident.organisation_id,
            "value": value.strip()[:2000],
            "normalized": norm[:2000],
            "first_seen": now,
            "last_seen": now,
            "created_by": actor,
        },
    )
    if created:
        timeline_append(
            incident=incident,
            kind="indicator.added",
            actor=actor,
            payload={"kind": kind, "value": indicator.value, "tlp": indicator.tlp},
        )
        task_records.tasks_reconcile(incident=incident, actor=actor, kinds=("indicator",))
    return indicator


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip())
    except ValueError:
        return False
    return True
