"""The STIX and MISP exports of an incident: the room's sharing card posts here, the file
downloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from comms import access as comms_access
from incidents import access, selectors
from incidents import tlp as tlp_rules
from incidents.models import Incident
from incidents.services import indicators as indicator_services
from incidents.views.common import require_role
from sharing import services, suggestions
from sharing.forms import IndicatorTlpForm, StixExportForm, SuggestionAcceptForm
from sharing.tlp import CEILING, Recipient


def _export(request: HttpRequest, ref: str, run: Callable[..., Any]) -> Any:
    """The export's result, or a redirect back to the room's sharing card with the message."""
    incident = selectors.incident_get(user=request.user, ref=ref)
    require_role(comms_access.can_write(request.user))
    room = reverse("incidents:incident_detail", args=[incident.ref]) + "#sharing"
    form = StixExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who receives the export."))
        return HttpResponseRedirect(room, status=303)
    try:
        return run(incident=incident, actor=request.user, recipient=form.cleaned_data["recipient"])
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return HttpResponseRedirect(room, status=303)


def _download(content: str, filename: str, header: str, withheld: int) -> HttpResponse:
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response[header] = str(withheld)
    return response


@login_required
@require_POST
def stix_export(request: HttpRequest, ref: str) -> HttpResponse:
    done = _export(request, ref, services.stix_export)
    if isinstance(done, HttpResponse):
        return done
    return _download(done.export.bundle, done.filename, "X-Stix-Withheld", done.export.withheld)


@login_required
@require_POST
def misp_export(request: HttpRequest, ref: str) -> HttpResponse:
    done = _export(request, ref, services.misp_export)
    if isinstance(done, HttpResponse):
        return done
    return _download(done.export.event, done.filename, "X-Tlp-Withheld", done.export.withheld)


def _room(incident: Incident, anchor: str = "sharing") -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("incidents:incident_detail", args=[incident.ref]) + f"#{anchor}", status=303
    )


@login_required
@require_POST
def suggestions_extract(request: HttpRequest, ref: str) -> HttpResponse:
    incident = selectors.incident_get(user=request.user, ref=ref)
    require_role(access.can_edit_incidents(request.user))
    added = suggestions.suggestions_extract(incident=incident, actor=request.user)
    messages.success(
        request,
        _("%(count)s indicators suggested from the reports.") % {"count": added}
        if added
        else _("Nothing new was found in the reports."),
    )
    return _room(incident)


@login_required
@require_POST
def suggestion_decide(request: HttpRequest, ref: str, pk: int, decision: str) -> HttpResponse:
    incident = selectors.incident_get(user=request.user, ref=ref)
    require_role(access.can_edit_incidents(request.user))
    try:
        if decision == "accept":
            form = SuggestionAcceptForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose a TLP from the list."))
                return _room(incident)
            suggestions.suggestion_accept(
                incident=incident, actor=request.user, pk=pk, tlp=form.cleaned_data["tlp"]
            )
        else:
            suggestions.suggestion_reject(incident=incident, actor=request.user, pk=pk)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return _room(incident)


@login_required
def indicator_tlp(request: HttpRequest, ref: str) -> HttpResponse:
    """Each indicator's TLP, changed one at a time (on the timeline), and what each recipient
    class would be sent now."""
    incident = selectors.incident_get(user=request.user, ref=ref)
    can_edit = access.can_edit_incidents(request.user)
    if request.method == "POST":
        require_role(can_edit)
        form = IndicatorTlpForm(request.POST)
        raw = str(request.POST.get("indicator", ""))
        found = (
            selectors.indicators_of(incident).filter(pk=int(raw)).first()
            if raw.isdigit() and len(raw) < 10
            else None
        )
        if found is None or not form.is_valid():
            return HttpResponseBadRequest(_("Choose a TLP from the list."))
        indicator_services.indicator_tlp_set(
            indicator=found, actor=request.user, tlp=form.cleaned_data["tlp"]
        )
        messages.success(request, _("The TLP was changed."))
        return HttpResponseRedirect(
            reverse("sharing:indicator_tlp", args=[incident.ref]), status=303
        )
    rows = list(selectors.indicators_of(incident))
    recipients = []
    for recipient in Recipient.values:
        kept, withheld = tlp_rules.split(rows, CEILING[recipient], lambda row: row.tlp)
        recipients.append((Recipient(recipient).label, len(kept), withheld))
    return render(
        request,
        "sharing/indicator_tlp.html",
        {
            "incident": incident,
            "can_edit": can_edit,
            "rows": [
                (row, IndicatorTlpForm(initial={"tlp": row.tlp}, auto_id=False)) for row in rows
            ],
            "recipients": recipients,
        },
    )
