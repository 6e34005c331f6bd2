"""The roster: the role chains, absences and delegations, and who holds each role at a moment.

Everyone with a role reads it; the ISMS office changes it. Each command validates a form, calls
one service and redirects; a refusal re-renders the page with the service's status.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role
from bcp import access, selectors
from bcp.forms import AbsenceForm, DelegationForm, MomentForm, RoleAssignmentForm
from bcp.services import roster_admin
from common import clock
from common.errors import DomainError
from incidents.views.common import add_domain_error, require_role

FORMS = {
    "assignment": RoleAssignmentForm,
    "absence": AbsenceForm,
    "delegation": DelegationForm,
}


def _moment(request: HttpRequest, now: datetime) -> tuple[MomentForm, datetime]:
    form = MomentForm(request.GET or None, auto_id="moment_%s")
    at = form.cleaned_data.get("at") if form.is_bound and form.is_valid() else None
    if not form.is_bound:
        form = MomentForm(initial={"at": now}, auto_id="moment_%s")
    return form, at or now


def _chains(request: HttpRequest) -> list[tuple[str, list[Any]]]:
    """Per role, the assignments in rank order; roles nobody holds are left out."""
    by_role: dict[str, list[Any]] = {}
    for assignment in selectors.role_assignments_visible_to(request.user).order_by(
        "role", "priority"
    ):
        by_role.setdefault(assignment.role, []).append(assignment)
    return [(label, by_role[role]) for role, label in Role.choices if role in by_role]


def roster_page(
    request: HttpRequest,
    *,
    status: int = 200,
    bound: dict[str, forms.Form] | None = None,
    error: str = "",
) -> HttpResponse:
    user, now = request.user, clock.now()
    require_role(access.can_see_roster(user))
    moment, at = _moment(request, now)
    bound = bound or {}
    people = selectors.people_of(user.organisation)
    roles = selectors.roster_at(organisation=user.organisation, at=at)
    context = {
        "at": at,
        "moment": moment,
        "roles": roles,
        # Every deciding role needs someone behind the first holder (issue 15 item 7).
        "deputy_gaps": [r for r in roles if r.deciding and r.available_people < 2],
        "chains": _chains(request),
        "absences": selectors.absences_current_and_coming(user=user, since=now),
        "delegations": selectors.delegations_current_and_coming(user=user, since=now),
        "can_manage": access.can_manage_roster(user),
        "error": error,
        **{
            f"{key}_form": bound.get(key) or form(people=people, auto_id=f"{key}_%s")
            for key, form in FORMS.items()
        },
    }
    return render(request, "bcp/roster.html", context, status=status)


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    return roster_page(request)


def _done(anchor: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("bcp:roster") + anchor)


def _add(request: HttpRequest, key: str, command: Callable[[dict[str, Any]], str]) -> HttpResponse:
    require_role(access.can_see_roster(request.user))
    people = selectors.people_of(request.user.organisation)
    form = FORMS[key](request.POST, people=people, auto_id=f"{key}_%s")
    if not form.is_valid():
        return roster_page(request, status=400, bound={key: form})
    try:
        done = command(form.cleaned_data)
    except DomainError as error:
        add_domain_error(form, error)
        return roster_page(request, status=error.status_code, bound={key: form})
    messages.success(request, done)
    return _done(f"#{key}s")


def _remove(request: HttpRequest, command: Callable[[], str], anchor: str) -> HttpResponse:
    try:
        done = command()
    except DomainError as error:
        return roster_page(request, status=error.status_code, error=str(error.message))
    messages.success(request, done)
    return _done(anchor)


@login_required
@require_POST
def assignment_add(request: HttpRequest) -> HttpResponse:
    def command(data: dict[str, Any]) -> str:
        roster_admin.role_assignment_add(
            organisation=request.user.organisation, actor=request.user, **data
        )
        return _("%(person)s now holds %(role)s at rank %(rank)s.") % {
            "person": data["user"],
            "role": Role(data["role"]).label,
            "rank": data["priority"],
        }

    return _add(request, "assignment", command)


@login_required
@require_POST
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(selectors.role_assignments_visible_to(request.user), pk=pk)

    def command() -> str:
        roster_admin.role_assignment_remove(assignment=assignment, actor=request.user)
        return _("Assignment removed.")

    return _remove(request, command, "#assignments")


@login_required
@require_POST
def absence_add(request: HttpRequest) -> HttpResponse:
    def command(data: dict[str, Any]) -> str:
        roster_admin.absence_add(actor=request.user, **data)
        return _("Absence of %(person)s recorded.") % {"person": data["user"]}

    return _add(request, "absence", command)


@login_required
@require_POST
def absence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    absence = get_object_or_404(selectors.absences_visible_to(request.user), pk=pk)

    def command() -> str:
        roster_admin.absence_remove(absence=absence, actor=request.user)
        return _("Absence removed.")

    return _remove(request, command, "#absences")


@login_required
@require_POST
def delegation_add(request: HttpRequest) -> HttpResponse:
    def command(data: dict[str, Any]) -> str:
        roster_admin.delegation_add(
            organisation=request.user.organisation, actor=request.user, **data
        )
        return _("Delegation recorded.")

    return _add(request, "delegation", command)


@login_required
@require_POST
def delegation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = get_object_or_404(selectors.delegations_visible_to(request.user), pk=pk)

    def command() -> str:
        roster_admin.delegation_remove(delegation=delegation, actor=request.user)
        return _("Delegation removed.")

    return _remove(request, command, "#delegations")
