"""The close page: the C-1 checklist with a tick or the fix for each condition, the open tasks
that closing will waive, and the button. Closing itself is the lifecycle service's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.errors import DomainError
from incidents import access, selectors
from incidents.forms.records import CloseForm
from incidents.models import Incident
from incidents.models.enums import IncidentStatus
from incidents.services import transitions


def _page(
    request: HttpRequest,
    incident: Incident,
    form: CloseForm,
    *,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    # Before the review status there is no close transition yet: C-1 as it will be checked.
    checklist = transitions.transition_checklist(
        incident, IncidentStatus.CLOSED, current=IncidentStatus.REVIEWING
    )
    reviewing = incident.status == IncidentStatus.REVIEWING
    context = {
        "incident": incident,
        "reviewing": reviewing,
        "checklist": checklist,
        "ready": reviewing and all(row["ok"] for row in checklist),
        "open_tasks": transitions.open_tasks_of(incident),
        "form": form,
        "error": error,
        "can_close": access.can_transition(request.user),
    }
    return render(request, "incidents/incident_close.html", context, status=status)


@login_required
def incident_close(request: HttpRequest, ref: str) -> HttpResponse:
    incident = selectors.incident_get(user=request.user, ref=ref)
    if request.method != "POST":
        return _page(request, incident, CloseForm(auto_id="close_%s"))
    form = CloseForm(request.POST, auto_id="close_%s")
    form.is_valid()
    try:
        transitions.incident_transition(
            incident=incident,
            target=IncidentStatus.CLOSED,
            actor=request.user,
            waive_reason=form.cleaned_data.get("waive_reason", ""),
        )
    except DomainError as error:
        incident.refresh_from_db()
        return _page(request, incident, form, status=error.status_code, error=str(error.message))
    messages.success(request, _("Incident closed."))
    return HttpResponseRedirect(reverse("incidents:incident_detail", args=[incident.ref]))
