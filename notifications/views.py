"""Browser pages: the in-app list with acknowledge, the email's acknowledge link, and the
signed link that opens what an alert is about."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from common.errors import DomainError
from notifications import access, acklink, links, selectors
from notifications.enums import AckVia
from notifications.models import Alert
from notifications.services.acknowledge import alert_acknowledge

PAGE_SIZE = 30
EXERCISE_SHOWN = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        # An exercise's alerts, apart and marked 「訓練」 (issue 18); the newest of them.
        "exercise_notifications": list(
            selectors.inbox(request.user, exercise=True)[:EXERCISE_SHOWN]
        ),
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
    if request.method == "POST":
        # Post/redirect/get: a reload of the page that answers never posts again.
        try:
            alert_acknowledge(alert=alert, actor=user, via=AckVia.LINK)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Acknowledged."))
        return redirect("notifications:ack_link", token=token)
    path, label = links.target(alert)
    context = {"alert": alert, "person": user, "next_url": path, "next_label": label}
    return render(request, "notifications/ack_link.html", context)


@login_required
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every alert: straight to its decision, task or incident once signed in.

    Signed, so the link names an alert of its recipient and nobody can forge one; the page it
    leads to checks again who may see it."""
    try:
        alert_id, _user_id = links.read(token)
    except signing.BadSignature:
        return render(request, "notifications/ack_link.html", {"invalid": True}, status=400)
    alert = Alert.objects.filter(pk=alert_id, organisation_id=request.user.organisation_id).first()
    if alert is None:
        raise Http404
    return redirect(links.target(alert)[0])
