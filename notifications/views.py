"""Browser pages: the in-app list with acknowledge, and the email's acknowledge link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from common.errors import DomainError
from notifications import access, acklink, selectors
from notifications.enums import AckVia
from notifications.models import Alert
from notifications.services.acknowledge import alert_acknowledge

PAGE_SIZE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unacknowledged": list(selectors.unacknowledged(request.user)[:50]),
        "manages_alerts": access.can_manage_alerts(request.user),
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_to_acknowledge(request.user, pk)
    try:
        alert_acknowledge(alert=alert, actor=request.user, via=AckVia.APP)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Acknowledged."))
    return redirect("notifications:list")


@csrf_exempt  # the signed token is the credential; no session is used
@require_http_methods(["GET", "POST"])
def ack_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button; only the POST acknowledges, so a mail scanner that fetches every
    link in a message cannot acknowledge for the person."""
    try:
        alert_id, user_id = acklink.read(token)
        alert = Alert.objects.select_related("incident", "acknowledged_by").get(pk=alert_id)
        user = User.objects.get(pk=user_id, is_active=True)
    except (signing.BadSignature, Alert.DoesNotExist, User.DoesNotExist):
        return render(request, "notifications/ack_link.html", {"invalid": True}, status=400)
    error = ""
    if request.method == "POST":
        try:
            alert = alert_acknowledge(alert=alert, actor=user, via=AckVia.LINK)
        except DomainError as exc:
            error = str(exc.message)
    context = {"alert": alert, "person": user, "error": error}
    return render(request, "notifications/ack_link.html", context)
