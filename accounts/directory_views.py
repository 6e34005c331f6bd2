"""The ISMS office's pages for people and departments (issue 15 item 7).

Each command validates a form, calls one service in ``accounts.directory`` and redirects with a
message (post/redirect/get); a refused button redirects back with the refusal as an error
message. Others of the organisation get 403; a person or department of another organisation 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access, directory, selectors
from accounts.forms import InviteForm, UnitForm
from common.errors import DomainError


def _require_keeper(request: HttpRequest) -> None:
    if not access.can_manage_people(request.user):
        raise PermissionDenied


def _form_error(form: forms.Form, error: DomainError) -> None:
    field = error.details.get("field")
    form.add_error(field if field in form.fields else None, str(error.message))


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _units_queryset(request: HttpRequest, exclude: int | None = None):  # type: ignore[no-untyped-def]
    units = selectors.units_of(request.user, active_only=True)
    return units.exclude(pk=exclude) if exclude is not None else units


# --- People -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    """Everyone with an account, their roles and department; the invitation form."""
    _require_keeper(request)
    units = _units_queryset(request)
    form = InviteForm(request.POST or None, units=units, auto_id="invite_%s")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user = directory.user_invite(
                    organisation=request.user.organisation,
                    actor=request.user,
                    base_url=_base_url(request),
                    **form.cleaned_data,
                )
            except DomainError as error:
                _form_error(form, error)
                status = error.status_code
            else:
                messages.success(
                    request,
                    _("%(email)s is invited: the link to set a password is on its way.")
                    % {"email": user.email},
                )
                return redirect("accounts:people")
    context = {"form": form, "people": selectors.people_managed_by(request.user)}
    return render(request, "accounts/people.html", context, status=status)


def _person_command(request: HttpRequest, pk: int, command, done: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    _require_keeper(request)
    person = selectors.person_get_managed(actor=request.user, pk=pk)
    try:
        command(person)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done % {"person": person})
    return redirect("accounts:people")


@login_required
@require_POST
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_command(
        request,
        pk,
        lambda person: directory.user_deactivate(user=person, actor=request.user),
        _("%(person)s is deactivated and can no longer log in."),
    )


@login_required
@require_POST
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_command(
        request,
        pk,
        lambda person: directory.user_reactivate(user=person, actor=request.user),
        _("%(person)s is active again."),
    )


@login_required
@require_POST
def person_invite_resend(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_command(
        request,
        pk,
        lambda person: directory.user_invite_resend(
            user=person, actor=request.user, base_url=_base_url(request)
        ),
        _("A new link to set a password is on its way to %(person)s."),
    )


# --- Departments --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def units(request: HttpRequest) -> HttpResponse:
    """The departments as a tree, how many active accounts each holds; the form to add one."""
    _require_keeper(request)
    form = UnitForm(request.POST or None, units=_units_queryset(request), auto_id="unit_%s")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                unit = directory.unit_create(
                    organisation=request.user.organisation,
                    actor=request.user,
                    **form.cleaned_data,
                )
            except DomainError as error:
                _form_error(form, error)
                status = error.status_code
            else:
                messages.success(request, _("%(unit)s is added.") % {"unit": unit})
                return redirect("accounts:units")
    rows = sorted(selectors.units_of(request.user), key=lambda u: (not u.is_active, str(u)))
    return render(request, "accounts/units.html", {"form": form, "units": rows}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_keeper(request)
    unit = selectors.unit_get_managed(actor=request.user, pk=pk)
    initial = {"name": unit.name, "parent": unit.parent_id}
    form = UnitForm(
        request.POST or None,
        units=_units_queryset(request, exclude=unit.pk),
        initial=initial,
        auto_id="unit_%s",
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                unit = directory.unit_update(unit=unit, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                _form_error(form, error)
                status = error.status_code
            else:
                messages.success(request, _("%(unit)s is saved.") % {"unit": unit})
                return redirect("accounts:units")
    context = {"form": form, "unit": unit}
    return render(request, "accounts/unit_edit.html", context, status=status)


def _unit_command(request: HttpRequest, pk: int, command, done: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    _require_keeper(request)
    unit = selectors.unit_get_managed(actor=request.user, pk=pk)
    try:
        command(unit)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done % {"unit": unit})
    return redirect("accounts:units")


@login_required
@require_POST
def unit_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_command(
        request,
        pk,
        lambda unit: directory.unit_deactivate(unit=unit, actor=request.user),
        _("%(unit)s is deactivated."),
    )


@login_required
@require_POST
def unit_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_command(
        request,
        pk,
        lambda unit: directory.unit_reactivate(unit=unit, actor=request.user),
        _("%(unit)s is active again."),
    )
