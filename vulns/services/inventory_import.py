"""Importing the inventory from a CSV or an SBOM: the people import's preview-and-apply flow.

``inventory_import_preview`` reads every line (or component), checks it and keeps the file with
what the import would do; a file with any problem is refused (400, each problem with its line
and column, or its JSON path) and nothing is kept. ``inventory_import_apply`` checks the kept
file again and writes everything in one transaction, then re-matches the assets it touched.

Re-importing is idempotent: a piece of software is the same when the asset, the vendor and the
product (as CPE writes them) and the version are; its CPE or package URL is updated. When the
asset had the product at one other version and the file names it at one version, the entry is
updated to the new version (an upgrade), not doubled.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, User
from common import clock
from common.csvio import RowError
from common.errors import Conflict, InvalidInput
from incidents.models import Asset
from vulns import access, keys
from vulns.enums import ExposureRole, InventoryImportKind, InventoryImportStatus
from vulns.importers import inventory_csv, sbom
from vulns.importers.record import FeedError
from vulns.models import Exposure, Finding, InventoryImport, Software
from vulns.services import findings, matching

PREVIEW_ROWS = 50


@dataclass
class Item:
    """One piece of software the file puts on one asset."""

    where: str  # "12" (a CSV line) or "$.components[3]" (an SBOM path)
    asset_id: int
    asset_tag: str
    vendor: str
    product: str
    version: str
    cpe: str = ""
    purl: str = ""
    internet_facing: bool | None = None
    action: str = "create"  # create, update, unchanged
    software_id: int | None = None


@dataclass
class Plan:
    kind: str
    encoding: str = ""
    items: list[Item] = field(default_factory=list)
    errors: list[dict[str, object]] = field(default_factory=list)
    skipped: int = 0

    def summary(self) -> dict[str, object]:
        actions = Counter(item.action for item in self.items)
        return {
            "create": actions["create"],
            "update": actions["update"],
            "unchanged": actions["unchanged"],
            "assets": len({item.asset_id for item in self.items}),
            "skipped": self.skipped,
            "rows": [
                {
                    "where": item.where,
                    "line": int(item.where) if item.where.isdigit() else 0,
                    "asset": item.asset_tag,
                    "vendor": item.vendor,
                    "product": item.product,
                    "version": item.version,
                    "action": item.action,
                }
                for item in self.items[:PREVIEW_ROWS]
            ],
        }


def _refuse(plan: Plan) -> None:
    raise InvalidInput(
        "import_has_errors",
        gettext_lazy("The file has errors; nothing was imported. Fix them and upload it again."),
        errors=plan.errors,
    )


# --- Reading the file into items ---------------------------------------------------------------


def _csv_plan(organisation_id: int, data: bytes) -> Plan:
    read = inventory_csv.read(data)
    plan = Plan(kind=InventoryImportKind.CSV, encoding=read.encoding)
    errors = list(read.errors)
    assets = {
        a.asset_tag.casefold(): a
        for a in Asset.objects.filter(
            organisation_id=organisation_id,
            asset_tag__in={line.asset_tag for line in read.lines},
        )
    }
    seen: dict[tuple[int, str, str, str], int] = {}
    facing: dict[int, tuple[bool, int]] = {}
    for line in read.lines:
        asset = assets.get(line.asset_tag.casefold())
        if asset is None:
            message = _("No asset has the tag %(tag)s. Register the asset first.")
            errors.append(
                RowError(line.line, "unknown_asset", message % {"tag": line.asset_tag}, "asset")
            )
            continue
        key = (asset.pk, *_same(line.vendor, line.product), line.version)
        if key in seen:
            message = _("This software is already on line %(line)d.") % {"line": seen[key]}
            errors.append(RowError(line.line, "duplicate_line", message, "product"))
            continue
        seen[key] = line.line
        if line.internet_facing is not None:
            said = facing.setdefault(asset.pk, (line.internet_facing, line.line))
            if said[0] != line.internet_facing:
                message = _("Line %(line)d says otherwise for this asset.") % {"line": said[1]}
                errors.append(RowError(line.line, "exposure_differs", message, "internet_facing"))
                continue
        plan.items.append(
            Item(
                where=str(line.line),
                asset_id=asset.pk,
                asset_tag=asset.asset_tag,
                vendor=line.vendor,
                product=line.product,
                version=line.version,
                cpe=line.cpe,
                purl=line.purl,
                internet_facing=line.internet_facing,
            )
        )
    plan.errors = [e.as_dict() for e in sorted(errors, key=lambda e: e.line)]
    return plan


def _sbom_plan(asset: Asset, data: bytes) -> Plan:
    try:
        read = sbom.read(data)
    except FeedError as error:
        return Plan(
            kind="",
            errors=[{"where": error.where, "code": error.code, "message": str(error.message)}],
        )
    plan = Plan(kind=read.kind, encoding=read.encoding, skipped=read.skipped)
    seen: set[tuple[str, str, str]] = set()
    for component in read.components:
        problem = _component_problem(component)
        if problem:
            plan.errors.append(
                {"where": component.where, "code": "bad_component", "message": problem}
            )
            continue
        vendor = component.vendor or _vendor_of(component)
        key = (*_same(vendor, component.product), component.version)
        if key in seen:  # an SBOM names a library once per place it is used
            continue
        seen.add(key)
        plan.items.append(
            Item(
                where=component.where,
                asset_id=asset.pk,
                asset_tag=asset.asset_tag,
                vendor=vendor,
                product=component.product,
                version=component.version,
                cpe=component.cpe,
                purl=component.purl,
            )
        )
    return plan


def _component_problem(component: sbom.ComponentIn) -> str:
    for name, limit in inventory_csv.MAX_LENGTH.items():
        value = component.product if name == "product" else getattr(component, name)
        if len(value) > limit:
            return _("%(value)s is longer than %(n)d characters.") % {
                "value": value[:40] + "…",
                "n": limit,
            }
    try:
        keys.software_keys(
            vendor=component.vendor or "-",
            product=component.product,
            cpe=component.cpe,
            purl=component.purl,
        )
    except InvalidInput as error:
        return str(error.message)
    return ""


def _vendor_of(component: sbom.ComponentIn) -> str:
    """An SBOM often names no supplier: the CPE's vendor, the purl's namespace or type."""
    if component.cpe:
        return keys.cpe_parts(component.cpe)[3]
    if component.purl:
        name = keys.purl_parts(component.purl)[0].removeprefix("purl:")
        return name.rpartition("/")[0] or name
    return component.product


def _same(vendor: str, product: str) -> tuple[str, str]:
    return keys.normalise(vendor), keys.normalise(product)


# --- What the import would do ------------------------------------------------------------------


def _decide(plan: Plan) -> None:
    """Set each item's action against the software the assets have now."""
    existing: dict[tuple[int, str, str, str], Software] = {}
    by_product: dict[tuple[int, str, str], list[Software]] = defaultdict(list)
    for software in Software.objects.filter(asset_id__in={i.asset_id for i in plan.items}):
        same = _same(software.vendor, software.product)
        existing[(software.asset_id, *same, software.version)] = software
        by_product[(software.asset_id, *same)].append(software)
    in_file = Counter((i.asset_id, *_same(i.vendor, i.product)) for i in plan.items)
    versions_in_file = {(i.asset_id, *_same(i.vendor, i.product), i.version) for i in plan.items}
    for item in plan.items:
        product_key = (item.asset_id, *_same(item.vendor, item.product))
        found = existing.get((*product_key, item.version))
        if found is None and in_file[product_key] == 1 and len(by_product[product_key]) == 1:
            other = by_product[product_key][0]
            if (*product_key, other.version) not in versions_in_file:
                found = other  # an upgrade: the one entry moves to the new version
        if found is None:
            item.action = "create"
            continue
        item.software_id = found.pk
        same = (found.version, found.cpe, found.purl) == (item.version, item.cpe, item.purl)
        item.action = "unchanged" if same else "update"


def _plan(*, organisation_id: int, kind: str, data: bytes, asset: Asset | None) -> Plan:
    if kind == InventoryImportKind.CSV:
        plan = _csv_plan(organisation_id, data)
    else:
        if asset is None or asset.organisation_id != organisation_id:
            raise InvalidInput(
                "asset_required", gettext_lazy("Choose the asset the SBOM describes.")
            )
        plan = _sbom_plan(asset, data)
    if not plan.errors:
        _decide(plan)
    return plan


# --- Preview, apply, discard ---------------------------------------------------------------------


@transaction.atomic
def inventory_import_preview(
    *,
    organisation: Organisation,
    actor: User,
    kind: str,
    data: bytes,
    filename: str = "",
    asset: Asset | None = None,
) -> InventoryImport:
    """Check the file and keep it for the import; a file with a problem is refused (400)."""
    access.require_write(actor)
    if kind not in (InventoryImportKind.CSV, "sbom"):
        raise InvalidInput("bad_import_kind", gettext_lazy("Choose a CSV or an SBOM."))
    plan = _plan(organisation_id=organisation.pk, kind=kind, data=data, asset=asset)
    if plan.errors:
        _refuse(plan)
    return InventoryImport.objects.create(
        organisation=organisation,
        kind=plan.kind,
        asset=asset if kind != InventoryImportKind.CSV else None,
        filename=filename[:255],
        content=data,
        encoding=plan.encoding,
        row_count=len(plan.items),
        summary=plan.summary(),
        uploaded_by=actor,
    )


def _lock(upload: InventoryImport) -> InventoryImport:
    locked = InventoryImport.objects.select_for_update().get(pk=upload.pk)
    if locked.status != InventoryImportStatus.PREVIEWED:
        raise Conflict(
            "import_not_pending",
            gettext_lazy("This file was already imported or discarded."),
            status=locked.status,
        )
    return locked


@transaction.atomic
def inventory_import_apply(*, upload: InventoryImport, actor: User) -> InventoryImport:
    """Import every line of a previewed file, or none (the kept file is checked again first)."""
    access.require_write(actor)
    upload = _lock(upload)
    kind = InventoryImportKind.CSV if upload.kind == InventoryImportKind.CSV else "sbom"
    plan = _plan(
        organisation_id=upload.organisation_id,
        kind=kind,
        data=bytes(upload.content),
        asset=upload.asset,
    )
    if plan.errors:
        _refuse(plan)
    _write(upload.organisation_id, plan.items)
    upload.status = InventoryImportStatus.APPLIED
    upload.applied_at = clock.now()
    upload.summary = plan.summary()
    upload.save(update_fields=["status", "applied_at", "summary", "updated_at"])
    return upload


def _write(organisation_id: int, items: list[Item]) -> None:
    to_create, to_update = [], []
    now = clock.now()
    for item in items:
        if item.action == "unchanged":
            continue
        cpe_key, purl_key = keys.software_keys(
            vendor=item.vendor, product=item.product, cpe=item.cpe, purl=item.purl
        )
        software = Software(
            pk=item.software_id,
            organisation_id=organisation_id,
            asset_id=item.asset_id,
            vendor=item.vendor,
            product=item.product,
            version=item.version,
            cpe=item.cpe,
            purl=item.purl,
            cpe_key=cpe_key,
            purl_key=purl_key,
            updated_at=now,
        )
        (to_update if item.software_id else to_create).append(software)
    fields = ["vendor", "product", "version", "cpe", "purl", "cpe_key", "purl_key", "updated_at"]
    Software.objects.bulk_update(to_update, fields, batch_size=1000)
    Software.objects.bulk_create(to_create, batch_size=1000)
    exposed = _write_exposure(items)
    touched = {item.asset_id for item in items if item.action != "unchanged"} | exposed
    if touched:
        matching.match(asset_ids=sorted(touched))
    if exposed:
        findings.findings_refresh(
            Finding.objects.filter(asset_id__in=exposed).select_related("advisory", "asset")
        )


def _write_exposure(items: list[Item]) -> set[int]:
    """The assets whose internet exposure the file changed."""
    said = {i.asset_id: i.internet_facing for i in items if i.internet_facing is not None}
    current = {e.asset_id: e for e in Exposure.objects.filter(asset_id__in=said)}
    changed = set()
    for asset_id, facing in said.items():
        exposure = current.get(asset_id)
        if exposure is not None and exposure.internet_facing == facing:
            continue
        role = exposure.role if exposure is not None else ExposureRole.INTERNAL
        if facing and role == ExposureRole.INTERNAL:
            role = ExposureRole.OTHER
        elif not facing:
            role = ExposureRole.INTERNAL
        Exposure.objects.update_or_create(
            asset_id=asset_id, defaults={"internet_facing": facing, "role": role}
        )
        changed.add(asset_id)
    return changed


@transaction.atomic
def inventory_import_discard(*, upload: InventoryImport, actor: User) -> InventoryImport:
    access.require_write(actor)
    upload = _lock(upload)
    upload.status = InventoryImportStatus.DISCARDED
    upload.save(update_fields=["status", "updated_at"])
    return upload
