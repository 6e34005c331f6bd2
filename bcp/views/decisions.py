"""The decision inbox and the decision page: approve, decline or defer, and ratify.

A refusal by the service re-renders the page with its message and status: 400 (no rationale,
no scope, no re-decide time), 403 (not in the role's chain), 409 (someone decided first).
Someone the two-factor policy covers must have passed the second factor in this session to see
or decide a decision (accounts.two_factor).
"""

from __future__ import annotations

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
from common import clock
from common.errors import DomainError
from incidents import facts

# Decisions whose page shows the incident's cyber-BCP state next to the facts.
BCP_DECISIONS = {"ACTIVATE_CYBER_BCP", "CUT_ALL_EXTERNAL_NETWORK", "BCP_STAND_DOWN"}


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    items = selectors.decision_inbox(user=request.user, at=now)
    return render(request, "bcp/decision_inbox.html", {"decisions": items, "now": now})


def _form(decision: Decision) -> DecideForm:
    scoped = decision.type == "ACTIVATE_CYBER_BCP"
    initial = {}
    if decision.recommended_scope in (Scope.PARTIAL, Scope.FULL):
        initial["scope"] = decision.recommended_scope
    return DecideForm(with_scope=scoped, initial=initial, auto_id="decide_%s")


def decision_page(
    request: HttpRequest,
    decision: Decision,
    *,
    status: int = 200,
    form: DecideForm | None = None,
    error: str = "",
    withdraw: WithdrawForm | None = None,
) -> HttpResponse:
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
    return decision_page(request, selectors.decision_get(user=request.user, pk=pk))


def _back(decision: Decision) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("bcp:decision_detail", args=[decision.pk]))


@login_required
@require_POST
@second_factor_required(return_to="bcp:decision_detail")
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    form = DecideForm(
        request.POST, with_scope=decision.type == "ACTIVATE_CYBER_BCP", auto_id="decide_%s"
    )
    if not form.is_valid():
        return decision_page(request, decision, status=400, form=form)
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
        fresh = selectors.decision_get(user=request.user, pk=pk)  # someone may have decided
        return decision_page(
            request, fresh, status=error.status_code, form=form, error=str(error.message)
        )
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
        return decision_page(request, decision, status=error.status_code, error=str(error.message))
    messages.success(request, _("Decision ratified."))
    return _back(decision)
