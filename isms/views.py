"""The post-incident review page (with the incident's corrective actions), the corrective-action
list (open / overdue / all, by control) and an action's page. Thin: forms parse, services decide.

A refusal by a service re-renders the page with its message and status (400, 403, 409).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bcp.selectors import people_of
from common import clock, csvexport
from common.errors import DomainError
from incidents import selectors as incident_selectors
from incidents.models import Incident
from incidents.models.enums import IncidentStatus
from incidents.services import transitions
from isms import access, registers, selectors
from isms.forms import ActionFilterForm, ActionStatusForm, CorrectiveActionForm, ReviewForm
from isms.models import CorrectiveAction, PostIncidentReview
from isms.services import actions, reviews


def _review_initial(review: PostIncidentReview | None) -> dict[str, Any]:
    if review is None:
        return {}
    return {
        "root_cause": review.root_cause,
        "what_worked": review.what_worked,
        "what_did_not": review.what_did_not,
        "lessons": "\n".join(review.lessons),
        "no_lessons": review.no_lessons,
        "controls": [c.id for c in review.controls_affected.all()],
        "no_action_reason": review.no_action_reason,
    }


def _action_form(incident: Incident, data: Any = None) -> CorrectiveActionForm:
    return CorrectiveActionForm(data, people=people_of(incident.organisation), auto_id="ca_%s")


def _review_page(
    request: HttpRequest,
    incident: Incident,
    *,
    form: ReviewForm | None = None,
    action_form: CorrectiveActionForm | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    review = selectors.review_of(incident)
    context = {
        "incident": incident,
        "review": review,
        "form": form or ReviewForm(initial=_review_initial(review), auto_id="review_%s"),
        "action_form": action_form or _action_form(incident),
        "actions": selectors.actions_of_incident(incident),
        "can_write": access.can_write(request.user),
        "closed": incident.status == IncidentStatus.CLOSED,
        "checklist": transitions.transition_checklist(
            incident, IncidentStatus.CLOSED, current=IncidentStatus.REVIEWING
        ),
        "today": clock.now().date(),
        "error": error,
    }
    return render(request, "isms/review.html", context, status=status)


def _refused(error: DomainError) -> str:
    return str(error.message)


@login_required
def review(request: HttpRequest, ref: str) -> HttpResponse:
    incident = incident_selectors.incident_get(user=request.user, ref=ref)
    if request.method != "POST":
        return _review_page(request, incident)
    form = ReviewForm(request.POST, auto_id="review_%s")
    if not form.is_valid():
        return _review_page(request, incident, form=form, status=400)
    try:
        reviews.review_save(incident=incident, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        return _review_page(
            request, incident, form=form, status=error.status_code, error=_refused(error)
        )
    messages.success(request, _("The review is saved."))
    return HttpResponseRedirect(reverse("isms:review", args=[incident.ref]))


@login_required
@require_POST
def action_add(request: HttpRequest, ref: str) -> HttpResponse:
    incident = incident_selectors.incident_get(user=request.user, ref=ref)
    form = _action_form(incident, request.POST)
    if not form.is_valid():
        return _review_page(request, incident, action_form=form, status=400)
    try:
        actions.corrective_action_create(incident=incident, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        return _review_page(
            request, incident, action_form=form, status=error.status_code, error=_refused(error)
        )
    messages.success(request, _("Corrective action recorded."))
    return HttpResponseRedirect(reverse("isms:review", args=[incident.ref]) + "#actions")


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view", selectors.OPEN)
    view = view if view in selectors.VIEWS else selectors.OPEN
    filters = ActionFilterForm(request.GET or None)
    control = filters.cleaned_data["control"] if filters.is_valid() else ""
    today = clock.now().date()
    rows = selectors.corrective_action_list(
        user=request.user, view=view, today=today, control=control
    )
    if request.GET.get("format") == "csv":  # the register of corrective actions, same filters
        return csvexport.csv_response(
            csvexport.register_rows(registers.CORRECTIVE_ACTIONS, rows),
            filename=f"corrective-actions-{today:%Y%m%d}.csv",
            encoding=request.GET.get("encoding", ""),
        )
    context = {"actions": rows, "view": view, "filters": filters, "today": today}
    return render(request, "isms/action_list.html", context)


def _edit_form(action: CorrectiveAction, data: Any = None) -> CorrectiveActionForm:
    initial = {
        "title": action.title,
        "owner": action.owner_id,
        "due_on": action.due_on,
        "controls": [c.id for c in action.controls.all()],
        "risk_reference": action.risk_reference,
        "risk_url": action.risk_url,
        "description": action.description,
    }
    return CorrectiveActionForm(
        data, initial=initial, people=people_of(action.incident.organisation), auto_id="ca_%s"
    )


def _action_page(
    request: HttpRequest,
    action: CorrectiveAction,
    *,
    form: forms.Form | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    context = {
        "action": action,
        "form": form or _edit_form(action),
        "status_form": ActionStatusForm(auto_id="status_%s"),
        "can_write": access.can_write(request.user),
        "is_owner": action.owner_id == request.user.pk,
        "today": clock.now().date(),
        "error": error,
    }
    return render(request, "isms/action_detail.html", context, status=status)


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.corrective_action_get(user=request.user, pk=pk)
    if request.method != "POST":
        return _action_page(request, action)
    form = _edit_form(action, request.POST)
    if not form.is_valid():
        return _action_page(request, action, form=form, status=400)
    try:
        actions.corrective_action_update(
            action=action, actor=request.user, changes=form.cleaned_data
        )
    except DomainError as error:
        return _action_page(
            request, action, form=form, status=error.status_code, error=_refused(error)
        )
    messages.success(request, _("Corrective action saved."))
    return HttpResponseRedirect(reverse("isms:action_detail", args=[action.pk]))


@login_required
@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.corrective_action_get(user=request.user, pk=pk)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        return _action_page(request, action, status=400, error=_("Choose a status."))
    try:
        actions.corrective_action_set_status(action=action, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        return _action_page(request, action, status=error.status_code, error=_refused(error))
    messages.success(request, _("Corrective action status changed."))
    return HttpResponseRedirect(reverse("isms:action_detail", args=[action.pk]))
