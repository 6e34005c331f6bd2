"""Phishing drills: the list, a new drill, its results and their CSV import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from training import access, selectors
from training.forms import CsvUploadForm, DrillForm
from training.services import drills
from training.views.common import add_domain_error, require_role


@login_required
def drill_list(request: HttpRequest) -> HttpResponse:
    require_role(access.can_read(request.user))
    form = DrillForm(
        request.POST or None,
        organisation_id=request.user.organisation_id,
        courses=selectors.courses_of(request.user),
    )
    if request.method == "POST":
        require_role(access.can_keep_records(request.user))
        if form.is_valid():
            try:
                drill = drills.drill_create(
                    organisation=request.user.organisation,
                    actor=request.user,
                    **form.cleaned_data,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return HttpResponseRedirect(reverse("training:drill_detail", args=[drill.pk]))
    rows = [(drill, selectors.drill_results(drill)) for drill in selectors.drills_of(request.user)]
    context = {"rows": rows, "form": form, "can_keep": access.can_keep_records(request.user)}
    status = 400 if request.method == "POST" else 200
    return render(request, "training/drill_list.html", context, status=status)


@login_required
def drill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(access.can_read(request.user))
    drill = selectors.drill_get(user=request.user, pk=pk)
    context = {
        "drill": drill,
        "results": selectors.drill_results(drill),
        "recipients": selectors.drill_recipients(drill),
        "follow_ups": drill.follow_ups.select_related("person", "course").order_by("person__name"),
        "upload_form": CsvUploadForm(),
        "can_keep": access.can_keep_records(request.user),
    }
    return render(request, "training/drill_detail.html", context)


@login_required
@require_POST
def drill_results_upload(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(access.can_keep_records(request.user))
    drill = selectors.drill_get(user=request.user, pk=pk)
    form = CsvUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file of at most 10 MB."))
        return HttpResponseRedirect(reverse("training:drill_detail", args=[drill.pk]))
    upload = drills.drill_results_preview(
        drill=drill, actor=request.user, data=form.cleaned_data["file"], filename=form.filename
    )
    return HttpResponseRedirect(reverse("training:import_preview", args=[upload.pk]))
