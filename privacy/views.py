"""The privacy pages: the data-set inventory (with CSV import and export), an incident's
personal-data page (APPI assessment, leak facts, obligations), the PPC report and the
individual-notice letter, and legal/privacy's inbox. Thin: forms parse, services decide;
refused forms follow post/redirect/get (common.prg)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common import clock, csvexport, prg
from common.errors import DomainError
from incidents import selectors as incident_selectors
from incidents.models import Incident
from privacy import access, selectors
from privacy.enums import ObligationKind, ReportVersion
from privacy.forms import (
    AppiCauseForm,
    DataLeakForm,
    DataSetForm,
    DataSetImportForm,
    ObligationAddForm,
    ObligationDoneForm,
    ObligationWaiveForm,
    PpcReportForm,
)
from privacy.services import appi, datasets, leaks, obligations, ppc


def _forbid_unless(allowed: bool) -> None:
    if not allowed:
        raise Http404


# --- Data sets ----------------------------------------------------------------------------------


@login_required
def data_set_list(request: HttpRequest) -> HttpResponse:
    _forbid_unless(access.can_read_inventory(request.user))
    org = request.user.organisation_id
    refused = prg.take(request)
    form = DataSetForm(organisation_id=org, auto_id="ds_%s")
    if refused and refused.key == "add":
        form = refused.bind(DataSetForm(refused.data, organisation_id=org, auto_id="ds_%s"))
    context = {
        "data_sets": selectors.data_sets_of(request.user),
        "form": form,
        "import_form": DataSetImportForm(),
        "import_errors": request.session.pop("data_set_import_errors", []),
        "can_write": access.can_write_inventory(request.user),
    }
    return render(request, "privacy/data_sets.html", context)


@login_required
@require_POST
def data_set_add(request: HttpRequest) -> HttpResponse:
    back = reverse("privacy:data_sets")
    form = DataSetForm(request.POST, organisation_id=request.user.organisation_id)
    if not form.is_valid():
        return prg.refuse(request, to=back, key="add", message=_("Check the data set."))
    try:
        datasets.data_set_save(
            organisation_id=request.user.organisation_id, actor=request.user, **form.cleaned_data
        )
    except DomainError as error:
        return prg.refuse_error(request, to=back, key="add", error=error)
    messages.success(request, _("The data set is saved."))
    return HttpResponseRedirect(back)


@login_required
def data_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    data_set = selectors.data_set_get(user=request.user, pk=pk)
    org = request.user.organisation_id
    here = reverse("privacy:data_set_detail", args=[pk])
    if request.method == "POST":
        form = DataSetForm(request.POST, instance=None, organisation_id=org)
        if not form.is_valid():
            return prg.refuse(request, to=here, key="edit", message=_("Check the data set."))
        try:
            datasets.data_set_save(
                organisation_id=org, actor=request.user, data_set=data_set, **form.cleaned_data
            )
        except DomainError as error:
            return prg.refuse_error(request, to=here, key="edit", error=error)
        messages.success(request, _("The data set is saved."))
        return HttpResponseRedirect(here)
    refused = prg.take(request)
    form = DataSetForm(instance=data_set, organisation_id=org, auto_id="ds_%s")
    if refused:
        form = refused.bind(DataSetForm(refused.data, organisation_id=org, auto_id="ds_%s"))
    context = {
        "data_set": data_set,
        "form": form,
        "can_write": access.can_write_inventory(request.user),
        "leaks": data_set.leaks.filter(
            incident__in=incident_selectors.incidents_visible_to(request.user).values("pk")
        ).select_related("incident"),
    }
    return render(request, "privacy/data_set_detail.html", context)


@login_required
@require_POST
def data_set_import(request: HttpRequest) -> HttpResponse:
    back = reverse("privacy:data_sets")
    form = DataSetImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return prg.refuse(request, to=back, key="import", message=_("Choose a CSV file."))
    try:
        result = datasets.data_sets_import(
            organisation_id=request.user.organisation_id,
            actor=request.user,
            data=form.cleaned_data["file"].read(),
        )
    except DomainError as error:
        return prg.refuse_error(request, to=back, key="import", error=error)
    if result.errors:
        request.session["data_set_import_errors"] = [e.as_dict() for e in result.errors]
        messages.error(request, _("The file was not imported: fix the lines below."))
    else:
        messages.success(
            request,
            _("Imported: %(created)s new, %(updated)s updated.")
            % {"created": result.created, "updated": result.updated},
        )
    return HttpResponseRedirect(back)


@login_required
def data_set_export(request: HttpRequest) -> HttpResponse:
    _forbid_unless(access.can_read_inventory(request.user))
    rows = datasets.export_rows(selectors.data_sets_of(request.user))
    return csvexport.csv_response(
        rows, filename="data-sets.csv", encoding=request.GET.get("encoding", "")
    )


# --- An incident's personal data and obligations ----------------------------------------------


def _page(request: HttpRequest, incident: Incident) -> HttpResponse:
    refused = prg.take(request)
    org = incident.organisation_id
    leak_form = DataLeakForm(organisation_id=org, auto_id="leak_%s")
    if refused and refused.key == "leak":
        leak_form = refused.bind(DataLeakForm(refused.data, organisation_id=org, auto_id="leak_%s"))
    assessment = selectors.assessment_of(incident)
    rows = list(selectors.obligations_of(incident))
    for row in rows:
        row.can_close = access.can_close_obligation(request.user, row.owner_role)  # type: ignore[attr-defined]
    now = clock.now()
    context = {
        "incident": incident,
        "assessment": assessment,
        "leaks": selectors.leaks_of(incident),
        "obligations": rows,
        "leak_form": leak_form,
        "cause_form": AppiCauseForm(initial={"cause": assessment.cause if assessment else ""}),
        "add_form": ObligationAddForm(auto_id="ob_%s"),
        "done_form": ObligationDoneForm(auto_id=False),
        "waive_form": ObligationWaiveForm(auto_id=False),
        "can_leak": access.can_record_leaks(request.user),
        "can_appi": access.can_write_appi(request.user),
        "now": now,
        "decision": appi_decision(incident),
        "categories": selectors.category_reasons(assessment),
    }
    return render(request, "privacy/incident.html", context)


def appi_decision(incident: Incident) -> Any:
    from bcp.models import Decision

    return (
        Decision.objects.filter(incident=incident, type=appi.APPI_DECISION)
        .order_by("-opened_at")
        .first()
    )


@login_required
def incident_privacy(request: HttpRequest, ref: str) -> HttpResponse:
    incident = incident_selectors.incident_get(user=request.user, ref=ref)
    return _page(request, incident)


def _here(incident: Incident, anchor: str = "") -> str:
    return reverse("privacy:incident_privacy", args=[incident.ref]) + anchor


def _submit(
    request: HttpRequest,
    *,
    form: Any,
    back: str,
    key: str,
    invalid: str,
    service: Callable[..., Any],
    done: str,
    **arguments: Any,
) -> HttpResponse:
    """One incident form posted to one service, answered post/redirect/get: back to the page
    with the message (and what was typed) when the form or the service refuses."""
    if not form.is_valid():
        return prg.refuse(request, to=back, key=key, message=invalid)
    try:
        service(actor=request.user, **arguments, **form.cleaned_data)
    except DomainError as error:
        return prg.refuse_error(request, to=back, key=key, error=error)
    messages.success(request, done)
    return HttpResponseRedirect(back)


@login_required
@require_POST
def leak_add(request: HttpRequest, ref: str) -> HttpResponse:
    incident = incident_selectors.incident_get(user=request.user, ref=ref)
    return _submit(
        request,
        form=DataLeakForm(request.POST, organisation_id=incident.organisation_id),
        back=_here(incident, "#leaks"),
        key="leak",
        invalid=_("Check the leak."),
        service=leaks.data_leak_record,
        done=_("The leak is recorded."),
        incident=incident,
    )


@login_required
@require_POST
def cause_set(request: HttpRequest, ref: str) -> HttpResponse:
    incident = incident_selectors.incident_get(user=request.user, ref=ref)
    return _submit(
        request,
        form=AppiCauseForm(request.POST),
        back=_here(incident, "#appi"),
        key="cause",
        invalid=_("Choose a cause."),
        service=appi.assessment_update,
        done=_("The cause is saved."),
        incident=incident,
    )


@login_required
@require_POST
def obligation_add(request: HttpRequest, ref: str) -> HttpResponse:
    incident = incident_selectors.incident_get(user=request.user, ref=ref)
    return _submit(
        request,
        form=ObligationAddForm(request.POST),
        back=_here(incident, "#obligations"),
        key="add",
        invalid=_("Check the obligation."),
        service=obligations.obligation_add,
        done=_("The obligation is recorded."),
        incident=incident,
    )


@login_required
@require_POST
def obligation_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    if move not in ("done", "waive", "reopen"):
        raise Http404
    obligation = selectors.obligation_get(user=request.user, pk=pk)
    back = _here(obligation.incident, f"#obligation-{obligation.pk}")
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts=None):
        back = wanted  # a page of this site only (the PPC report's receipt form)
    form = ObligationDoneForm(request.POST) if move == "done" else ObligationWaiveForm(request.POST)
    if not form.is_valid():
        return prg.refuse(request, to=back, key=f"{move}-{pk}", message=_("Check the form."))
    try:
        if move == "done":
            obligations.obligation_done(
                obligation=obligation, actor=request.user, **form.cleaned_data
            )
        elif move == "waive":
            obligations.obligation_waive(
                obligation=obligation, actor=request.user, **form.cleaned_data
            )
        else:
            obligations.obligation_reopen(
                obligation=obligation, actor=request.user, **form.cleaned_data
            )
    except DomainError as error:
        return prg.refuse_error(request, to=back, key=f"{move}-{pk}", error=error)
    messages.success(request, _("The obligation is updated."))
    return HttpResponseRedirect(back)


# --- The PPC report and the individual-notice letter ------------------------------------------


def _version(request: HttpRequest) -> str:
    version = request.GET.get("version") or request.POST.get("version") or ReportVersion.SOKUHO
    return version if version in ReportVersion.values else ReportVersion.SOKUHO


@login_required
def ppc_report(request: HttpRequest, ref: str) -> HttpResponse:
    incident = incident_selectors.incident_get(user=request.user, ref=ref)
    version = _version(request)
    here = reverse("privacy:ppc_report", args=[incident.ref]) + f"?version={version}"
    if request.method == "POST":
        form = PpcReportForm(request.POST)
        if not form.is_valid():
            return prg.refuse(request, to=here, key="report", message=_("Check the report."))
        try:
            ppc.report_save(
                incident=incident, actor=request.user, version=version, items=form.cleaned_data
            )
        except DomainError as error:
            return prg.refuse_error(request, to=here, key="report", error=error)
        messages.success(request, _("The report is saved."))
        return HttpResponseRedirect(here)
    report = ppc.report_view(incident, version)
    refused = prg.take(request)
    form = PpcReportForm(initial={key: text for key, _label, text, _empty in report.items})
    if refused:
        form = refused.bind(PpcReportForm(refused.data))
    assessment = selectors.assessment_of(incident)
    kind = ObligationKind.PPC_SOKUHO if version == "SOKUHO" else ObligationKind.PPC_KAKUHO
    context = {
        "incident": incident,
        "report": report,
        "form": form,
        "version": version,
        "versions": ReportVersion.choices,
        "assessment": assessment,
        "obligation": selectors.obligations_of(incident).filter(kind=kind).first(),
        "can_edit": access.can_write_appi(request.user),
        "organisation": incident.organisation,
        "printed_at": clock.now(),
    }
    return render(request, "privacy/ppc_report.html", context)


@login_required
def individual_notice(request: HttpRequest, ref: str) -> HttpResponse:
    """A letter to the individuals (本人通知) from a template, filled from the record."""
    incident = incident_selectors.incident_get(user=request.user, ref=ref)
    report = ppc.report_view(incident, ReportVersion.SOKUHO)
    texts = {key: text for key, _label, text, _empty in report.items}
    context = {
        "incident": incident,
        "organisation": incident.organisation,
        "texts": texts,
        "assessment": selectors.assessment_of(incident),
        "today": clock.now(),
    }
    return render(request, "privacy/individual_notice.html", context)


# --- Legal/privacy's inbox ----------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    context = {"inbox": selectors.legal_inbox(request.user), "now": clock.now()}
    return render(request, "privacy/inbox.html", context)
