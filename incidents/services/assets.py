"""Affected assets: infection, isolation and remediation of terminals and servers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.errors import Conflict, InvalidInput
from incidents import access
from incidents.models import AffectedAsset, Asset, Incident
from incidents.models import enums as e
from incidents.services.findings import after_asset_change, observed_time, tracked_states
from incidents.services.timeline import timeline_append

ASSET_FIELDS = {
    "infection_state",
    "infection_via",
    "first_infected_at",
    "malware_capability",
    "containment_state",
    "isolated_at",
    "isolation_method",
    "remediation_state",
    "note",
}


@transaction.atomic
def asset_upsert(
    *,
    organisation_id: int,
    asset_tag: str,
    hostname: str = "",
    kind: str = e.AssetKind.PC,
    holds_personal_data: bool | None = None,
    holds_confidential_data: bool | None = None,
) -> Asset:
    """The inventory row for a tag; the data flags given (not None) are updated."""
    flags = {
        name: value
        for name, value in (
            ("holds_personal_data", holds_personal_data),
            ("holds_confidential_data", holds_confidential_data),
        )
        if value is not None
    }
    asset, created = Asset.objects.get_or_create(
        organisation_id=organisation_id,
        asset_tag=asset_tag.strip(),
        defaults={"hostname": hostname, "kind": kind, **flags},
    )
    if not created and flags:
        for name, value in flags.items():
            setattr(asset, name, value)
        asset.save(update_fields=[*flags, "updated_at"])
    return asset


@transaction.atomic
def affected_asset_add(
    *,
    incident: Incident,
    actor: User,
    asset: Asset,
    observed_at: datetime | None = None,
    **fields: Any,
) -> AffectedAsset:
    """Record an asset as involved; ``observed_at`` is when the organisation learned it (now
    unless it is recorded late), the "t" of the rules it moves."""
    access.require(access.can_edit_incidents(actor), "record affected assets")
    if asset.organisation_id != incident.organisation_id:
        raise InvalidInput("asset_not_found", _("No such asset."), field="asset")
    _check_fields(fields)
    observed = observed_time(observed_at)
    affected = AffectedAsset(incident=incident, asset=asset, **fields)
    _apply_isolation_defaults(affected, observed)
    try:
        with transaction.atomic():
            affected.save()
    except IntegrityError as exc:
        raise Conflict(
            "asset_already_affected", _("This asset is already recorded for the incident.")
        ) from exc
    timeline_append(
        incident=incident,
        kind="asset.added",
        actor=actor,
        payload={"asset": asset.asset_tag, **_public(fields)},
    )
    new = {
        "infection_state": "NONE",
        "containment_state": "NOT_CONTAINED",
        "remediation_state": "NONE",
    }
    after_asset_change(affected=affected, before=new, actor=actor, observed_at=observed)
    return affected


@transaction.atomic
def affected_asset_update(
    *,
    affected: AffectedAsset,
    actor: User,
    changes: dict[str, Any],
    observed_at: datetime | None = None,
) -> AffectedAsset:
    """Change an involved asset's states; only what changed becomes a fact, dated
    ``observed_at`` (now unless recorded late)."""
    access.require(access.can_edit_incidents(actor), "update affected assets")
    _check_fields(changes)
    observed = observed_time(observed_at)
    affected = AffectedAsset.objects.select_for_update().get(pk=affected.pk)
    before = {k: getattr(affected, k) for k in changes}
    # Every state the rules read, not only the changed keys: a PATCH of the remediation alone
    # must not look like an infection that came from nowhere.
    states = tracked_states(affected)
    for name, value in changes.items():
        setattr(affected, name, value)
    _apply_isolation_defaults(affected, observed)
    affected.full_clean(exclude=["incident", "asset"])
    affected.save()
    diff = {k: [before[k], changes[k]] for k in changes if before[k] != changes[k]}
    timeline_append(
        incident=affected.incident,
        kind="asset.updated",
        actor=actor,
        payload={"asset": affected.asset.asset_tag, "changes": _public(diff)},
    )
    after_asset_change(affected=affected, before=states, actor=actor, observed_at=observed)
    return affected


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - ASSET_FIELDS
    if unknown:
        raise InvalidInput(
            "field_not_editable", _("These fields cannot be set."), fields=sorted(unknown)
        )


def _apply_isolation_defaults(affected: AffectedAsset, observed: datetime) -> None:
    if affected.containment_state == e.ContainmentState.ISOLATED and not affected.isolated_at:
        affected.isolated_at = observed
    if affected.containment_state == e.ContainmentState.NOT_CONTAINED:
        affected.isolated_at = None
        affected.isolation_method = ""


def _public(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in values.items()}
