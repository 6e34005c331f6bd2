"""Recording a BCP action as done, and later as restored, from the incident page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bcp import selectors
from bcp.services import activation
from common import prg
from common.errors import DomainError
from incidents.views.incidents import incident_page, incident_url


@login_required
@require_POST
def action_record(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    action = selectors.bcp_action_get(user=request.user, pk=pk)
    incident = action.activation.incident
    page = incident_url(incident, "#bcp")
    try:
        activation.bcp_action_record(action=action, actor=request.user, step=step)
    except DomainError as error:
        if error.status_code == 403:  # a permission, not a form to fix
            return incident_page(request, incident, status=403, error=str(error.message))
        return prg.refuse_error(request, to=page, key=f"bcp_action{action.pk}", error=error)
    done = _("Recorded as done: %(action)s") if step == "execute" else None
    done = done or _("Recorded as restored: %(action)s")
    messages.success(request, done % {"action": action.description})
    return HttpResponseRedirect(page)
