"""Browser side of the escalation model: record a finding, ask to lower the level, settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common import prg
from common.errors import DomainError
from incidents import access
from incidents import selectors as incident_selectors
from risklevels import explain, forms, selectors
from risklevels.models import ChecklistTemplate
from risklevels.services import facts, levels, setup


def _page(ref: str) -> str:
    return reverse("incidents:incident_detail", args=[ref]) + "#escalation"


def _back(ref: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(_page(ref))


@login_required
@require_POST
def record_finding(request: HttpRequest, ref: str) -> HttpResponse:
    """Record a finding; the re-evaluation runs in the same request, so the page shows it."""
    incident = incident_selectors.incident_get(user=request.user, ref=ref)
    form = forms.FindingForm(request.POST, auto_id="finding_%s")
    if not form.is_valid():
        return prg.refuse(request, to=_page(ref), key="finding")
    try:
        incident = facts.fact_record(incident=incident, actor=request.user, **form.as_kwargs())
    except DomainError as error:
        return prg.refuse_error(request, to=_page(ref), key="finding", error=error)
    summary = selectors.escalation_summary(incident)
    if incident.recommended_level > incident.level:
        reasons = explain.join_reasons(
            [r.text for r in summary["reasons"] if r.target > incident.level]
        )
        messages.warning(
            request,
            _("Level %(level)s is recommended: %(reasons)s")
            % {"level": summary["recommended_level_name"], "reasons": reasons},
        )
    else:
        messages.success(request, _("The finding was recorded."))
    return _back(incident.ref)


@login_required
@require_POST
def lower_level(request: HttpRequest, ref: str) -> HttpResponse:
    incident = incident_selectors.incident_get(user=request.user, ref=ref)
    if not access.can_transition(request.user):
        raise PermissionDenied
    form = forms.LowerLevelForm(request.POST, auto_id="lower_%s")
    if not form.is_valid():
        return prg.refuse(
            request, to=_page(ref), key="lower", message=_("Choose a level and a reason.")
        )
    try:
        levels.level_lower_request(incident=incident, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        return prg.refuse_error(request, to=_page(ref), key="lower", error=error)
    messages.success(request, _("A decision to lower the level was opened."))
    return _back(incident.ref)


def _require_configurer(request: HttpRequest) -> None:
    if not access.can_manage_intake(request.user):
        raise PermissionDenied


@login_required
def escalation_settings(request: HttpRequest) -> HttpResponse:
    """Levels, checklists and parameters of the organisation (the ISMS office edits them)."""
    _require_configurer(request)
    organisation = request.user.organisation
    setup.levels_seed(organisation=organisation)
    params = setup.params_current(organisation=organisation)
    params_form = forms.ParamsForm(instance=params)
    status = 200
    if request.method == "POST":
        params_form = forms.ParamsForm(request.POST)
        if params_form.is_valid():
            try:
                setup.params_update(
                    organisation=organisation, actor=request.user, values=params_form.cleaned_data
                )
            except DomainError as error:
                params_form.add_error(None, str(error.message))
            else:
                messages.success(request, _("A new version of the parameters is in force."))
                return redirect("risklevels:settings")
        status = 400
    context = {
        "params": params,
        "params_form": params_form,
        "levels": [
            (d, forms.LevelDefinitionForm(instance=d, prefix=f"level{d.level}"))
            for d in selectors.level_definitions(organisation)
        ],
        "templates": selectors.checklist_templates(organisation),
        "template_form": forms.ChecklistTemplateForm(prefix="new"),
    }
    return render(request, "risklevels/settings.html", context, status=status)


@login_required
@require_POST
def level_definition_update(request: HttpRequest, level: int) -> HttpResponse:
    _require_configurer(request)
    definition = get_object_or_404(
        selectors.level_definitions(request.user.organisation), level=level
    )
    form = forms.LevelDefinitionForm(request.POST, instance=definition, prefix=f"level{level}")
    if form.is_valid():
        form.save()
        messages.success(request, _("Level %(level)s was updated.") % {"level": level})
    else:
        messages.error(request, _("The level description is not valid."))
    return redirect("risklevels:settings")


@login_required
@require_POST
def checklist_template_save(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_configurer(request)
    organisation = request.user.organisation
    instance = (
        get_object_or_404(selectors.checklist_templates(organisation), pk=pk)
        if pk
        else ChecklistTemplate(organisation=organisation)
    )
    form = forms.ChecklistTemplateForm(
        request.POST, instance=instance, prefix=f"t{pk}" if pk else "new"
    )
    if form.is_valid():
        try:
            setup.checklist_template_save(template=form.save(commit=False), actor=request.user)
        except DomainError as error:
            form.add_error(None, str(error.message))
    if form.is_valid():
        messages.success(request, _("The checklist item was saved."))
    else:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(
            request, _("The checklist item was not saved: %(errors)s") % {"errors": errors}
        )
    return redirect(reverse("risklevels:settings") + "#checklists")
