"""People: the list, the CSV export, and the CSV import (upload → preview → import)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from training import access, selectors
from training.enums import ImportKind
from training.forms import CsvUploadForm, PeopleFilterForm
from training.models import CsvImport
from training.services import drills, people
from training.views.common import csv_download, querystring, require_role

PAGE_SIZE = 100


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    require_role(access.can_read(request.user))
    form = PeopleFilterForm(request.GET or None, organisation_id=request.user.organisation_id)
    found = selectors.people_of(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            found = found.filter(Q(name__icontains=data["q"]) | Q(employee_no=data["q"]))
        if data["population"]:
            found = found.filter(population=data["population"])
        if data["unit"]:
            found = found.filter(unit=data["unit"])
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    units = selectors.unit_paths(request.user.organisation_id)
    context = {
        "page": page,
        "rows": [(person, units.get(person.unit_id, "")) for person in page.object_list],
        "form": form,
        "querystring": querystring(request),
        "can_keep": access.can_keep_records(request.user),
    }
    return render(request, "training/people_list.html", context)


@login_required
def people_export(request: HttpRequest) -> HttpResponse:
    require_role(access.can_read(request.user))
    encoding = "cp932" if request.GET.get("encoding") == "shift_jis" else "utf-8"
    content = selectors.people_csv(user=request.user, encoding=encoding)
    return csv_download(content, "people.csv", encoding=encoding)


@login_required
def people_import(request: HttpRequest) -> HttpResponse:
    require_role(access.can_keep_records(request.user))
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        preview = people.people_import_preview(
            organisation=request.user.organisation,
            actor=request.user,
            data=form.cleaned_data["file"],
            filename=form.filename,
        )
        return HttpResponseRedirect(reverse("training:import_preview", args=[preview.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "training/people_import.html", {"form": form}, status=status)


def _import_of(request: HttpRequest, pk: int) -> CsvImport:
    require_role(access.can_keep_records(request.user))
    return get_object_or_404(CsvImport, pk=pk, organisation_id=request.user.organisation_id)


def _preview_page(request: HttpRequest, upload: CsvImport, *, status: int = 200) -> HttpResponse:
    return render(request, "training/import_preview.html", {"upload": upload}, status=status)


@login_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    return _preview_page(request, _import_of(request, pk))


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _import_of(request, pk)
    try:
        if upload.kind == ImportKind.PEOPLE:
            people.people_import_apply(csv_import=upload, actor=request.user)
            target = reverse("training:people_list")
        else:
            drill = drills.drill_results_apply(csv_import=upload, actor=request.user)
            target = reverse("training:drill_detail", args=[drill.pk])
    except DomainError as error:
        upload.refresh_from_db()
        if error.details.get("errors"):
            upload.errors = error.details["errors"]
        messages.error(request, str(error.message))
        return _preview_page(request, upload, status=error.status_code)
    messages.success(request, _("Imported."))
    return HttpResponseRedirect(target)


@login_required
@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _import_of(request, pk)
    try:
        people.import_reject(csv_import=upload, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    if upload.drill_id:
        return HttpResponseRedirect(reverse("training:drill_detail", args=[upload.drill_id]))
    return HttpResponseRedirect(reverse("training:people_list"))
