"""The BCP plan: the services that would stop and the call tree. The ISMS office edits it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bcp import access, selectors
from bcp.forms import CallTreeEntryForm, PlanServiceForm
from bcp.models import BcpPlanService, CallTreeEntry
from bcp.services import plan
from common.errors import DomainError
from incidents.views.common import add_domain_error, require_role


def _service_form(request: HttpRequest, key: str, **kwargs: Any) -> PlanServiceForm:
    people = selectors.people_of(request.user.organisation)
    return PlanServiceForm(people=people, auto_id=f"{key}_%s", **kwargs)


def _edit_form(request: HttpRequest, service: BcpPlanService) -> PlanServiceForm:
    initial = {name: getattr(service, name) for name in plan.SERVICE_FIELDS}
    return _service_form(request, f"service{service.pk}", initial=initial)


def _call_form(entry: CallTreeEntry) -> CallTreeEntryForm:
    initial = {name: getattr(entry, name) for name in plan.CALL_FIELDS}
    return CallTreeEntryForm(initial=initial, auto_id=f"call{entry.pk}_%s")


def plan_page(
    request: HttpRequest,
    *,
    status: int = 200,
    bound: dict[str, forms.Form] | None = None,
    error: str = "",
) -> HttpResponse:
    user = request.user
    require_role(access.can_see_roster(user))
    bound = bound or {}
    can_manage = access.can_manage_roster(user)
    services = selectors.plan_services_of(user.organisation)
    calls = selectors.call_tree_of(user.organisation)
    context = {
        "can_manage": can_manage,
        "error": error,
        "services": [(s, bound.get(f"service{s.pk}") or _edit_form(request, s)) for s in services],
        "calls": [(c, bound.get(f"call{c.pk}") or _call_form(c)) for c in calls],
        "service_form": bound.get("service") or _service_form(request, "service"),
        "call_form": bound.get("call") or CallTreeEntryForm(auto_id="call_%s"),
    }
    return render(request, "bcp/plan.html", context, status=status)


@login_required
def plan_view(request: HttpRequest) -> HttpResponse:
    return plan_page(request)


def _run(
    request: HttpRequest, key: str, form: forms.Form, command: Callable[[dict[str, Any]], str]
) -> HttpResponse:
    if not form.is_valid():
        return plan_page(request, status=400, bound={key: form})
    try:
        done = command(form.cleaned_data)
    except DomainError as error:
        add_domain_error(form, error)
        return plan_page(request, status=error.status_code, bound={key: form})
    messages.success(request, done)
    anchor = "#calls" if key.startswith("call") else "#services"
    return HttpResponseRedirect(reverse("bcp:plan") + anchor)


def _refused(request: HttpRequest, command: Callable[[], str], anchor: str) -> HttpResponse:
    try:
        done = command()
    except DomainError as error:
        return plan_page(request, status=error.status_code, error=str(error.message))
    messages.success(request, done)
    return HttpResponseRedirect(reverse("bcp:plan") + anchor)


def _service(request: HttpRequest, pk: int) -> BcpPlanService:
    require_role(access.can_see_roster(request.user))
    return get_object_or_404(selectors.plan_services_of(request.user.organisation), pk=pk)


def _call(request: HttpRequest, pk: int) -> CallTreeEntry:
    require_role(access.can_see_roster(request.user))
    return get_object_or_404(selectors.call_tree_of(request.user.organisation), pk=pk)


@login_required
@require_POST
def service_add(request: HttpRequest) -> HttpResponse:
    require_role(access.can_see_roster(request.user))

    def command(data: dict[str, Any]) -> str:
        plan.plan_service_add(organisation=request.user.organisation, actor=request.user, **data)
        return _("Service added to the plan.")

    return _run(request, "service", _service_form(request, "service", data=request.POST), command)


@login_required
@require_POST
def service_update(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service(request, pk)
    key = f"service{pk}"

    def command(data: dict[str, Any]) -> str:
        plan.plan_service_update(service=service, actor=request.user, changes=data)
        return _("Service updated.")

    return _run(request, key, _service_form(request, key, data=request.POST), command)


@login_required
@require_POST
def service_remove(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service(request, pk)

    def command() -> str:
        plan.plan_service_remove(service=service, actor=request.user)
        return _("Service removed from the plan.")

    return _refused(request, command, "#services")


@login_required
@require_POST
def call_add(request: HttpRequest) -> HttpResponse:
    require_role(access.can_see_roster(request.user))

    def command(data: dict[str, Any]) -> str:
        plan.call_tree_entry_add(organisation=request.user.organisation, actor=request.user, **data)
        return _("Call-tree entry added.")

    return _run(request, "call", CallTreeEntryForm(request.POST, auto_id="call_%s"), command)


@login_required
@require_POST
def call_update(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _call(request, pk)
    key = f"call{pk}"

    def command(data: dict[str, Any]) -> str:
        plan.call_tree_entry_update(entry=entry, actor=request.user, changes=data)
        return _("Call-tree entry updated.")

    return _run(request, key, CallTreeEntryForm(request.POST, auto_id=f"{key}_%s"), command)


@login_required
@require_POST
def call_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _call(request, pk)

    def command() -> str:
        plan.call_tree_entry_remove(entry=entry, actor=request.user)
        return _("Call-tree entry removed.")

    return _refused(request, command, "#calls")
