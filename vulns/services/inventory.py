"""The software on an asset and whether it faces the internet; every change re-matches the
asset (``matching.match(asset_ids=…)``) and recomputes its open findings' due dates."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.errors import Conflict, InvalidInput
from incidents.models import Asset
from vulns import access, keys
from vulns.models import Exposure, Finding, Software
from vulns.services import findings, matching


def _require_asset(actor: User | None, asset: Asset) -> None:
    if actor is not None:
        access.require_write(actor)
        if asset.organisation_id != actor.organisation_id:
            raise access.PermissionDeniedError("permission_denied", _("Not your asset."))


def software_add(
    *,
    asset: Asset,
    actor: User | None,
    vendor: str,
    product: str,
    version: str,
    cpe: str = "",
    purl: str = "",
) -> Software:
    _require_asset(actor, asset)
    vendor, product, version = vendor.strip(), product.strip(), version.strip()
    if not (vendor and product and version):
        raise InvalidInput(
            "software_incomplete", _("Give the vendor, the product and the version.")
        )
    cpe_key, purl_key = keys.software_keys(vendor=vendor, product=product, cpe=cpe, purl=purl)
    try:
        with transaction.atomic():
            software = Software.objects.create(
                organisation_id=asset.organisation_id,
                asset=asset,
                vendor=vendor[:120],
                product=product[:120],
                version=version[:64],
                cpe=cpe.strip()[:255],
                purl=purl.strip()[:255],
                cpe_key=cpe_key,
                purl_key=purl_key,
            )
            matching.match(asset_ids=[asset.pk])
    except IntegrityError as error:
        raise Conflict(
            "software_exists", _("This asset already has this product at this version.")
        ) from error
    return software


@transaction.atomic
def software_remove(*, software: Software, actor: User | None) -> None:
    _require_asset(actor, software.asset)
    asset_id = software.asset_id
    software.delete()
    matching.match(asset_ids=[asset_id])


@transaction.atomic
def exposure_set(*, asset: Asset, actor: User | None, internet_facing: bool, role: str) -> Exposure:
    _require_asset(actor, asset)
    exposure, _created = Exposure.objects.update_or_create(
        asset=asset, defaults={"internet_facing": internet_facing, "role": role}
    )
    findings.findings_refresh(
        Finding.objects.filter(asset=asset).select_related("advisory", "asset")
    )
    return exposure
