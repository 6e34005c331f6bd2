"""The CSIRT-function map: how each of the 17 functions is delivered, the STEP, and the
printable one-page view of the current STEP and what the next adds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from training import access, selectors
from training.forms import CsirtFunctionForm, CsirtStepForm
from training.models import CsirtFunction
from training.services import csirt
from training.views.common import require_role


def _rows(request: HttpRequest, bound: CsirtFunctionForm | None = None, number: int = 0) -> list:
    rows = []
    for row in selectors.csirt_map(request.user.organisation):
        initial = {"mode": row.mode, "provider": row.provider, "step": row.step, "note": row.note}
        form = bound if row.function.number == number and bound is not None else None
        rows.append(
            (row, form or CsirtFunctionForm(initial=initial, prefix=f"f{row.function.number}"))
        )
    return rows


@login_required
def csirt_map(request: HttpRequest) -> HttpResponse:
    require_role(access.can_read(request.user))
    csirt.csirt_map_ensure(organisation=request.user.organisation)
    context = {
        "rows": _rows(request),
        "step_form": CsirtStepForm(initial={"step": request.user.organisation.csirt_step}),
        "can_edit": access.can_edit_map(request.user),
    }
    return render(request, "training/csirt_map.html", context)


@login_required
@require_POST
def csirt_function_edit(request: HttpRequest, number: int) -> HttpResponse:
    require_role(access.can_edit_map(request.user))
    function = get_object_or_404(CsirtFunction, number=number)
    form = CsirtFunctionForm(request.POST, prefix=f"f{number}")
    if form.is_valid():
        try:
            csirt.csirt_function_set(
                organisation=request.user.organisation,
                function=function,
                actor=request.user,
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(error.details.get("field"), str(error.message))
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("training:csirt_map") + f"#f{number}")
    context = {
        "rows": _rows(request, form, number),
        "step_form": CsirtStepForm(initial={"step": request.user.organisation.csirt_step}),
        "can_edit": True,
    }
    return render(request, "training/csirt_map.html", context, status=400)


@login_required
@require_POST
def csirt_step(request: HttpRequest) -> HttpResponse:
    require_role(access.can_edit_map(request.user))
    form = CsirtStepForm(request.POST)
    if form.is_valid():
        csirt.csirt_step_set(
            organisation=request.user.organisation,
            actor=request.user,
            step=form.cleaned_data["step"],
        )
        messages.success(request, _("Saved."))
    return HttpResponseRedirect(reverse("training:csirt_map"))


@login_required
def csirt_one_page(request: HttpRequest) -> HttpResponse:
    require_role(access.can_read(request.user))
    csirt.csirt_map_ensure(organisation=request.user.organisation)
    organisation = request.user.organisation
    context = {"page": selectors.step_page(organisation), "organisation": organisation}
    return render(request, "training/csirt_one_page.html", context)
