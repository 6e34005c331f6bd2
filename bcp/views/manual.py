"""Opening a decision by hand from the incident page, and withdrawing one from its page.

A refusal — an invalid form, or the service's: no reason, a wrong level or scope, the policy
does not let the user's roles open the type, one is already open, the BCP is not active, the
decision is no longer open — redirects back to the page with the message and what was typed
(``common.prg``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bcp import selectors
from bcp.forms import DecisionOpenForm, WithdrawForm
from bcp.services import manual
from bcp.views.decisions import refused_back
from common import prg
from common.errors import DomainError
from incidents import selectors as incident_selectors
from incidents.views.incidents import incident_url


@login_required
@require_POST
def decision_open(request: HttpRequest, ref: str) -> HttpResponse:
    incident = incident_selectors.incident_get(user=request.user, ref=ref)
    types = manual.openable_types(request.user, incident.organisation)
    form = DecisionOpenForm(request.POST, types=types, auto_id="open_%s")
    page = incident_url(incident, "#decisions")
    if not form.is_valid():
        return prg.refuse(request, to=page, key="decision_open")
    data = form.cleaned_data
    try:
        decision = manual.decision_open_by_hand(
            incident=incident,
            actor=request.user,
            decision_type=data["type"],
            reason=data["reason"],
            recommendation=data["recommendation"],
            recommended_scope=data["recommended_scope"] or "NONE",
            target_level=data["target_level"],
        )
    except DomainError as error:
        return prg.refuse_error(request, to=page, key="decision_open", error=error)
    messages.success(
        request,
        _("Decision requested: %(type)s, assigned to %(who)s.")
        % {"type": decision.get_type_display(), "who": decision.assignee or "—"},
    )
    return HttpResponseRedirect(reverse("bcp:decision_detail", args=[decision.pk]))


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    form = WithdrawForm(request.POST, auto_id="withdraw_%s")
    form.is_valid()
    try:
        manual.decision_withdraw(
            decision=decision, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except DomainError as error:
        return refused_back(request, decision, "withdraw", error)
    messages.success(request, _("Decision withdrawn."))
    return HttpResponseRedirect(reverse("bcp:decision_detail", args=[decision.pk]))
