"""Security-tool alerts: the signed webhook a tool posts to, and the ISMS office's source list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from common.errors import DomainError
from incidents import access, selectors
from incidents.channels import signing
from incidents.forms.channels import AlertSourceForm
from incidents.services import channels
from incidents.views.common import add_domain_error, require_role


def _error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "details": {}}, status=status)


@csrf_exempt  # signed with the source's secret instead; no session is read
@require_POST
def alert_hook(request: HttpRequest, token: str) -> JsonResponse:
    source = selectors.alert_source_by_token(token=token)
    if source is None:
        return _error("not_found", _("No such alert source."), 404)
    try:
        received = channels.alert_receive(
            source=source,
            body=request.body,
            timestamp=request.headers.get(signing.TIMESTAMP_HEADER, ""),
            signature=request.headers.get(signing.SIGNATURE_HEADER, ""),
        )
    except DomainError as error:
        return _error(error.code, str(error.message), error.status_code)
    receipt = received.receipt
    body = {
        "report": receipt.report.number if receipt.report else "",
        "new_report": received.new_report,
        "repeat_count": receipt.repeat_count,
        "last_seen_at": receipt.last_seen_at.isoformat(),
    }
    return JsonResponse(body, status=201 if received.new_report else 200)


def _page(request: HttpRequest, form: AlertSourceForm, status: int = 200, **extra) -> HttpResponse:  # type: ignore[no-untyped-def]
    context = {
        "form": form,
        "sources": selectors.alert_sources_of(user=request.user),
        **extra,
    }
    return render(request, "incidents/alert_sources.html", context, status=status)


@login_required
def alert_sources(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_role(access.can_manage_intake(user))
    if request.method != "POST":
        return _page(request, AlertSourceForm())
    form = AlertSourceForm(request.POST)
    if form.is_valid():
        try:
            registered = channels.alert_source_register(
                organisation=user.organisation,
                actor=user,
                name=form.cleaned_data["name"],
                fmt=form.cleaned_data["format"],
                replay_window_seconds=form.cleaned_data["replay_window_minutes"] * 60,
                repeat_window_seconds=form.cleaned_data["repeat_window_hours"] * 3600,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            url = request.build_absolute_uri(
                reverse("incidents:alert_hook", args=[registered.source.token])
            )
            return _page(
                request, AlertSourceForm(), new=registered.source, secret=registered.secret, url=url
            )
    return _page(request, form, status=400)


@login_required
@require_POST
def alert_source_disable(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require_role(access.can_manage_intake(user))
    source = selectors.alert_source_get(user=user, pk=pk)  # another organisation's: 404
    channels.alert_source_disable(source=source, actor=user)
    messages.success(request, _("The source is disabled: its alerts are refused from now on."))
    return HttpResponseRedirect(reverse("incidents:alert_sources"))
