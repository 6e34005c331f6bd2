"""The STIX and MISP exports of an incident: the room's sharing card posts here, the file
downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from comms import access as comms_access
from incidents import selectors
from incidents.views.common import require_role
from sharing import services
from sharing.forms import StixExportForm


@login_required
@require_POST
def stix_export(request: HttpRequest, ref: str) -> HttpResponse:
    incident = selectors.incident_get(user=request.user, ref=ref)
    require_role(comms_access.can_write(request.user))
    room = reverse("incidents:incident_detail", args=[incident.ref]) + "#sharing"
    form = StixExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who receives the export."))
        return HttpResponseRedirect(room, status=303)
    try:
        done = services.stix_export(
            incident=incident, actor=request.user, recipient=form.cleaned_data["recipient"]
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return HttpResponseRedirect(room, status=303)
    response = HttpResponse(done.export.bundle, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{done.filename}"'
    response["X-Stix-Withheld"] = str(done.export.withheld)
    return response


@login_required
@require_POST
def misp_export(request: HttpRequest, ref: str) -> HttpResponse:
    incident = selectors.incident_get(user=request.user, ref=ref)
    require_role(comms_access.can_write(request.user))
    room = reverse("incidents:incident_detail", args=[incident.ref]) + "#sharing"
    form = StixExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who receives the export."))
        return HttpResponseRedirect(room, status=303)
    try:
        done = services.misp_export(
            incident=incident, actor=request.user, recipient=form.cleaned_data["recipient"]
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return HttpResponseRedirect(room, status=303)
    response = HttpResponse(done.export.event, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{done.filename}"'
    response["X-Tlp-Withheld"] = str(done.export.withheld)
    return response
