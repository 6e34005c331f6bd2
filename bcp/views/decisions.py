"""The decision inbox and the decision page: approve, decline or defer, and ratify.

An invalid form or a refusal by the service (no rationale, no scope, no re-decide time,
someone decided first) redirects back to the page with the message and what was typed
(``common.prg``); not being in the role's chain is a 403.
Someone the two-factor policy covers must have passed the second factor in this session to see
or decide a decision (accounts.two_factor).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.two_factor import second_factor_required
from bcp import selectors
from bcp.enums import DecisionStatus, Outcome, Scope
from bcp.forms import DecideForm, WithdrawForm
from bcp.models import Decision
from bcp.services import decisions, manual
from common import clock, prg
from common.errors import DomainError
from incidents import facts

# Decisions whose page shows the incident's cyber-BCP state next to the facts.
BCP_DECISIONS = {"ACTIVATE_CYBER_BCP", "CUT_ALL_EXTERNAL_NETWORK", "BCP_STAND_DOWN"}


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    items = selectors.decision_inbox(user=request.user, at=now)
    drills = list(selectors.decision_inbox(user=request.user, at=now, exercise=True))
    for drill in drills:  # each counts down on its exercise's clock (issue 18)
        reading = clock.source_for(drill)
        drill.clock_now = reading() if reading else now
        drill.clock_speed = getattr(reading, "speed", 1.0)
    context = {"decisions": items, "exercise_decisions": drills, "now": now}
    return render(request, "bcp/decision_inbox.html", context)


def _form(decision: Decision) -> DecideForm:
    scoped = decision.type == "ACTIVATE_CYBER_BCP"
    initial = {}
    if decision.recommended_scope in (Scope.PARTIAL, Scope.FULL):
        initial["scope"] = decision.recommended_scope
    return DecideForm(with_scope=scoped, initial=initial, auto_id="decide_%s")


def _rebound(decision: Decision, refused: prg.Refused | None) -> dict[str, Any]:
    """The refused form of the page (deciding or withdrawing), bound to what was typed."""
    if refused is None:
        return {}
    if refused.key == "decide":
        scoped = decision.type == "ACTIVATE_CYBER_BCP"
        return {
            "form": refused.bind(DecideForm(refused.data, with_scope=scoped, auto_id="decide_%s"))
        }
    if refused.key == "withdraw":
        return {"withdraw": refused.bind(WithdrawForm(refused.data, auto_id="withdraw_%s"))}
    return {}


def decision_page(
    request: HttpRequest,
    decision: Decision,
    *,
    status: int = 200,
    form: DecideForm | None = None,
    error: str = "",
    withdraw: WithdrawForm | None = None,
) -> HttpResponse:
    """The decision page; a refused form comes back through ``common.prg``."""
    user, now = request.user, clock.now()
    is_open = decision.status == DecisionStatus.OPEN
    context = {
        "decision": decision,
        "incident": decision.incident,
        "now": now,
        "error": error,
        "history": selectors.decision_history(decision),
        "counts": facts.infection_counts(decision.incident) if is_open else None,
        "bcp": (
            selectors.bcp_activation_of(decision.incident)
            if decision.type in BCP_DECISIONS
            else None
        ),
        "can_decide": selectors.may_decide(decision=decision, user=user, at=now),
        "can_ratify": selectors.may_ratify(decision=decision, user=user, at=now),
        "form": form or _form(decision),
        "can_withdraw": is_open and manual.may_open(user, decision.organisation, decision.type),
        "withdraw_form": withdraw or WithdrawForm(auto_id="withdraw_%s"),
    }
    return render(request, "bcp/decision_detail.html", context, status=status)


@login_required
@second_factor_required()
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    return decision_page(request, decision, **_rebound(decision, prg.take(request)))


def _back(decision: Decision) -> HttpResponseRedirect:
    return HttpResponseRedirect(_url(decision))


def _url(decision: Decision) -> str:
    return reverse("bcp:decision_detail", args=[decision.pk])


def refused_back(
    request: HttpRequest, decision: Decision, key: str, error: DomainError
) -> HttpResponse:
    """Someone else decided first, the rationale is missing…: back to the page with the
    message (PRG). Not being in the role's chain stays a 403."""
    if error.status_code == 403:
        fresh = selectors.decision_get(user=request.user, pk=decision.pk)
        return decision_page(request, fresh, status=error.status_code, error=str(error.message))
    return prg.refuse_error(request, to=_url(decision), key=key, error=error)


@login_required
@require_POST
@second_factor_required(return_to="bcp:decision_detail")
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    form = DecideForm(
        request.POST, with_scope=decision.type == "ACTIVATE_CYBER_BCP", auto_id="decide_%s"
    )
    if not form.is_valid():
        return prg.refuse(request, to=_url(decision), key="decide")
    data = form.cleaned_data
    try:
        decided = decisions.decision_decide(
            decision=decision,
            actor=request.user,
            outcome=data["outcome"],
            rationale=data["rationale"],
            scope=data.get("scope") or None,
            redecide_by=data["redecide_by"],
        )
    except DomainError as error:
        return refused_back(request, decision, "decide", error)
    messages.success(
        request, _("Decision recorded: %(outcome)s.") % {"outcome": Outcome(decided.outcome).label}
    )
    return _back(decided)


@login_required
@require_POST
@second_factor_required(return_to="bcp:decision_detail")
def ratify(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    try:
        decisions.decision_ratify(decision=decision, actor=request.user)
    except DomainError as error:
        return refused_back(request, decision, "ratify", error)
    messages.success(request, _("Decision ratified."))
    return _back(decision)
