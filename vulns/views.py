"""The vulnerability pages: findings by asset or by vulnerability (CSV too), a finding with its
status form, a vulnerability, the coverage of the inventory, an asset's software, the feed
upload. Thin: forms parse, services decide; a refusal re-renders with its message and status."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common import clock, csvexport
from common.errors import DomainError
from incidents.models import Asset
from vulns import access, lifecycle, registers, selectors, vex
from vulns.enums import FindingStatus
from vulns.forms import (
    ExposureForm,
    FeedSourceForm,
    FeedUploadForm,
    FindingStatusForm,
    InventoryUploadForm,
    OwnerForm,
    SoftwareForm,
)
from vulns.importers import inventory_csv
from vulns.models import AssetOwner, Exposure, Finding, InventoryImport
from vulns.services import feeds as feed_services
from vulns.services import findings as finding_services
from vulns.services import imports, inventory, owner_tasks, risk
from vulns.services import inventory_import as inventory_import_services


def _require(allowed: bool) -> None:
    """A page the user's roles do not open is a 403 page (the services check again)."""
    if not allowed:
        raise PermissionDenied


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    _require(access.can_read(request.user))
    order = request.GET.get("by", selectors.BY_ASSET)
    order = (
        order if order in (selectors.BY_ASSET, selectors.BY_VULNERABILITY) else selectors.BY_ASSET
    )
    open_only = request.GET.get("view", "open") != "all"
    rows = selectors.finding_list(request.user, order=order, open_only=open_only)
    now = clock.now()
    if request.GET.get("format") == "csv":
        return csvexport.csv_response(
            csvexport.register_rows(registers.FINDINGS, rows),
            filename=f"vulnerability-findings-{now:%Y%m%d}.csv",
            encoding=request.GET.get("encoding", ""),
        )
    context = {
        "findings": rows,
        "by": order,
        "view": "open" if open_only else "all",
        "now": now,
        "can_write": access.can_write(request.user),
    }
    return render(request, "vulns/finding_list.html", context)


def _finding_page(
    request: HttpRequest,
    finding: Finding,
    *,
    form: FindingStatusForm | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    targets = lifecycle.targets(finding.status)
    context = {
        "finding": finding,
        "form": form or FindingStatusForm(targets=targets, auto_id="finding_%s"),
        "targets": targets,
        "events": finding.events.select_related("actor").all(),
        "risk_pending": selectors.risk_pending(finding),
        "can_export_vex": access.can_export_vex(request.user),
        "can_write": access.can_write(request.user),
        "now": clock.now(),
        "error": error,
    }
    return render(request, "vulns/finding_detail.html", context, status=status)


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(access.can_read(request.user) or selectors.owns_task(request.user, pk))
    finding = selectors.finding_get(request.user, pk)
    if request.method != "POST":
        return _finding_page(request, finding)
    targets = lifecycle.targets(finding.status)
    form = FindingStatusForm(request.POST, targets=targets, auto_id="finding_%s")
    if not form.is_valid():
        return _finding_page(request, finding, form=form, status=400)
    data = form.cleaned_data
    try:
        if data["status"] == FindingStatus.RISK_ACCEPTED:
            risk.risk_acceptance_request(finding=finding, actor=request.user, reason=data["note"])
        else:
            finding_services.finding_set_status(finding=finding, actor=request.user, **data)
    except DomainError as error:
        return _finding_page(
            request, finding, form=form, status=error.status_code, error=str(error.message)
        )
    if data["status"] == FindingStatus.RISK_ACCEPTED:
        messages.success(
            request,
            _("The decision maker is asked to accept the risk; the status changes on approval."),
        )
    else:
        messages.success(request, _("The finding's status is changed."))
    return HttpResponseRedirect(reverse("vulns:finding_detail", args=[finding.pk]))


@login_required
@require_POST
def finding_incident(request: HttpRequest, pk: int) -> HttpResponse:
    _require(access.can_write(request.user))
    finding = selectors.finding_get(request.user, pk)
    try:
        incident = finding_services.finding_open_incident(finding=finding, actor=request.user)
    except DomainError as error:
        return _finding_page(request, finding, status=error.status_code, error=str(error.message))
    messages.success(
        request, _("Incident %(ref)s is open for this finding.") % {"ref": incident.ref}
    )
    return HttpResponseRedirect(reverse("incidents:incident_detail", args=[incident.ref]))


def _vex_response(request: HttpRequest, findings: list[Finding], name: str) -> HttpResponse:
    organisation = request.user.organisation
    doc = vex.document(
        findings, author=organisation.name, time_zone=organisation.time_zone, at=clock.now()
    )
    response = HttpResponse(vex.dumps(doc), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.openvex.json"'
    return response


@login_required
def advisory_vex(request: HttpRequest, vuln_id: str) -> HttpResponse:
    """The OpenVEX document of one vulnerability over the organisation's assets."""
    _require(access.can_export_vex(request.user))
    advisory = selectors.advisory_get(request.user, vuln_id)
    return _vex_response(request, selectors.vex_findings(request.user, advisory=advisory), vuln_id)


@login_required
def finding_vex(request: HttpRequest, pk: int) -> HttpResponse:
    """The OpenVEX document of one finding."""
    _require(access.can_export_vex(request.user))
    found = selectors.vex_findings(request.user, pk=pk)
    return _vex_response(request, found, f"{found[0].advisory.vuln_id}-{found[0].asset.asset_tag}")


@login_required
def advisory_detail(request: HttpRequest, vuln_id: str) -> HttpResponse:
    _require(access.can_read(request.user))
    advisory = selectors.advisory_get(request.user, vuln_id)
    context = {
        "advisory": advisory,
        "findings": selectors.findings_of_advisory(request.user, advisory),
        "ranges": advisory.ranges.all().order_by("key", "vers"),
        "versions": advisory.versions.all().order_by("-revision"),
        "can_export_vex": access.can_export_vex(request.user),
    }
    return render(request, "vulns/advisory_detail.html", context)


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    _require(access.can_read(request.user))
    covered, total = selectors.coverage(request.user)
    context = {
        "uncovered": selectors.uncovered_assets(request.user),
        "covered": covered,
        "total": total,
        "can_write": access.can_write(request.user),
    }
    return render(request, "vulns/coverage.html", context)


@login_required
def feed_upload(request: HttpRequest) -> HttpResponse:
    _require(access.can_write(request.user))
    form = FeedUploadForm(request.POST or None, request.FILES or None, auto_id="feed_%s")
    context: dict[str, Any] = {"form": form, "error": "", "where": ""}
    if request.method != "POST":
        return render(request, "vulns/feed_upload.html", context)
    if not form.is_valid():
        return render(request, "vulns/feed_upload.html", context, status=400)
    try:
        result = imports.feed_import(
            kind=form.cleaned_data["kind"],
            data=form.cleaned_data["file"].read(),
            actor=request.user,
        )
    except DomainError as error:
        context.update(error=str(error.message), where=error.details.get("where", ""))
        return render(request, "vulns/feed_upload.html", context, status=error.status_code)
    messages.success(
        request,
        _(
            "Imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged; "
            "%(findings)d new findings."
        )
        % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "findings": result.findings_new,
        },
    )
    return HttpResponseRedirect(reverse("vulns:finding_list"))


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """The asset owner's tasks: the open findings on the assets they look after."""
    tasks = selectors.tasks_of(request.user)
    return render(request, "vulns/task_list.html", {"tasks": tasks, "now": clock.now()})


def _asset(request: HttpRequest, pk: int) -> Asset:
    _require(access.can_read(request.user))
    asset = Asset.objects.filter(pk=pk, organisation_id=request.user.organisation_id).first()
    if asset is None:
        raise Http404
    return asset


def _asset_page(
    request: HttpRequest,
    asset: Asset,
    *,
    software_form: SoftwareForm | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    exposure = Exposure.objects.filter(asset=asset).first()
    owner = AssetOwner.objects.filter(asset=asset).select_related("owner").first()
    initial = (
        {"internet_facing": exposure.internet_facing, "role": exposure.role} if exposure else {}
    )
    context = {
        "asset": asset,
        "exposure": exposure,
        "software": asset.software.all(),
        "findings": asset.vuln_findings.select_related("advisory").order_by("due_at"),
        "software_form": software_form or SoftwareForm(auto_id="software_%s"),
        "exposure_form": ExposureForm(initial=initial, auto_id="exposure_%s"),
        "owner_form": OwnerForm(
            organisation_id=asset.organisation_id,
            initial={"owner": owner.owner_id if owner else None},
            auto_id="owner_%s",
        ),
        "owner": owner,
        "can_write": access.can_write(request.user),
        "error": error,
    }
    return render(request, "vulns/asset_detail.html", context, status=status)


@login_required
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    asset = _asset(request, pk)
    if request.method != "POST":
        return _asset_page(request, asset)
    try:
        if request.POST.get("action") == "owner":
            owner_form = OwnerForm(request.POST, organisation_id=asset.organisation_id)
            if not owner_form.is_valid():
                return _asset_page(
                    request, asset, status=400, error=_("Choose a person of the organisation.")
                )
            owner_tasks.owner_set(
                asset=asset, actor=request.user, owner=owner_form.cleaned_data["owner"]
            )
        elif request.POST.get("action") == "exposure":
            exposure_form = ExposureForm(request.POST)
            if not exposure_form.is_valid():
                return _asset_page(request, asset, status=400, error=_("Choose a role."))
            inventory.exposure_set(asset=asset, actor=request.user, **exposure_form.cleaned_data)
        else:
            form = SoftwareForm(request.POST, auto_id="software_%s")
            if not form.is_valid():
                return _asset_page(request, asset, software_form=form, status=400)
            inventory.software_add(asset=asset, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        return _asset_page(request, asset, status=error.status_code, error=str(error.message))
    messages.success(request, _("The inventory is saved."))
    return HttpResponseRedirect(reverse("vulns:asset", args=[asset.pk]))


# --- The inventory import: upload → preview → import (or discard) -----------------------------


def _labelled(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each problem's column as the reader's language names it (資産番号 for ``asset``)."""
    japanese = (get_language() or "ja").startswith("ja")
    return [
        {
            **problem,
            "column_label": (inventory_csv.COLUMN_LABELS if japanese else {}).get(
                str(problem.get("column", "")), problem.get("column", "")
            ),
        }
        for problem in errors
    ]


def _upload_page(
    request: HttpRequest, form: InventoryUploadForm, *, status: int = 200, **more: Any
) -> HttpResponse:
    more["errors"] = _labelled(more.get("errors", []))
    context = {"form": form, "error": "", **more}
    return render(request, "vulns/inventory_import.html", context, status=status)


@login_required
def inventory_import(request: HttpRequest) -> HttpResponse:
    _require(access.can_write(request.user))
    form = InventoryUploadForm(
        request.POST or None,
        request.FILES or None,
        organisation_id=request.user.organisation_id,
        initial={"kind": "sbom", "asset": request.GET.get("asset")}
        if request.GET.get("asset")
        else None,
        auto_id="inventory_%s",
    )
    if request.method != "POST":
        return _upload_page(request, form)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    try:
        upload = inventory_import_services.inventory_import_preview(
            organisation=request.user.organisation,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            data=form.cleaned_data["file"],
            filename=form.filename,
            asset=form.cleaned_data["asset"],
        )
    except DomainError as error:
        return _upload_page(
            request,
            form,
            status=error.status_code,
            error=str(error.message),
            errors=error.details.get("errors", []),
        )
    return HttpResponseRedirect(reverse("vulns:inventory_preview", args=[upload.pk]))


def _upload_of(request: HttpRequest, pk: int) -> InventoryImport:
    _require(access.can_write(request.user))
    upload = InventoryImport.objects.filter(
        pk=pk, organisation_id=request.user.organisation_id
    ).first()
    if upload is None:
        raise Http404
    return upload


def _preview_page(
    request: HttpRequest, upload: InventoryImport, *, status: int = 200, **more: Any
) -> HttpResponse:
    more["errors"] = _labelled(more.get("errors", []))
    context = {"upload": upload, "error": "", **more}
    return render(request, "vulns/inventory_preview.html", context, status=status)


@login_required
def inventory_preview(request: HttpRequest, pk: int) -> HttpResponse:
    return _preview_page(request, _upload_of(request, pk))


@login_required
@require_POST
def inventory_apply(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload_of(request, pk)
    try:
        if request.POST.get("action") == "discard":
            inventory_import_services.inventory_import_discard(upload=upload, actor=request.user)
            messages.success(request, _("The file is discarded; nothing was imported."))
            return HttpResponseRedirect(reverse("vulns:inventory_import"))
        upload = inventory_import_services.inventory_import_apply(upload=upload, actor=request.user)
    except DomainError as error:
        upload.refresh_from_db()
        return _preview_page(
            request,
            upload,
            status=error.status_code,
            error=str(error.message),
            errors=error.details.get("errors", []),
        )
    messages.success(
        request,
        _("Imported: %(create)d new, %(update)d updated, %(unchanged)d unchanged.")
        % {
            "create": upload.summary.get("create", 0),
            "update": upload.summary.get("update", 0),
            "unchanged": upload.summary.get("unchanged", 0),
        },
    )
    if upload.asset_id:
        return HttpResponseRedirect(reverse("vulns:asset", args=[upload.asset_id]))
    return HttpResponseRedirect(reverse("vulns:coverage"))


# --- Advisory feeds polled from URLs (settings) --------------------------------------------------


def _feeds_page(
    request: HttpRequest, form: FeedSourceForm | None = None, *, status: int = 200, error: str = ""
) -> HttpResponse:
    context = {
        "feeds": selectors.feeds_of(request.user),
        "form": form or FeedSourceForm(auto_id="feedsource_%s"),
        "error": error,
        "can_write": access.can_write(request.user),
    }
    return render(request, "vulns/feeds.html", context, status=status)


@login_required
def feed_settings(request: HttpRequest) -> HttpResponse:
    _require(access.can_read(request.user))
    if request.method != "POST":
        return _feeds_page(request)
    _require(access.can_write(request.user))
    action = request.POST.get("action", "add")
    try:
        if action == "add":
            form = FeedSourceForm(request.POST, auto_id="feedsource_%s")
            if not form.is_valid():
                return _feeds_page(request, form, status=400)
            feed_services.feed_add(
                organisation=request.user.organisation, actor=request.user, **form.cleaned_data
            )
        else:
            feed = selectors.feed_get(request.user, request.POST.get("feed", ""))
            if action == "remove":
                feed_services.feed_remove(feed=feed, actor=request.user)
            else:
                feed_services.feed_set_enabled(
                    feed=feed, actor=request.user, enabled=action == "enable"
                )
    except DomainError as error:
        return _feeds_page(request, status=error.status_code, error=str(error.message))
    messages.success(request, _("The feeds are saved."))
    return HttpResponseRedirect(reverse("vulns:feed_settings"))
