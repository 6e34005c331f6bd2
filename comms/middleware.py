"""Keeps an outside responder (a guest, issue 17 item 4) inside the one incident of the
invitation: on every request the invitation is read again (expiry and revocation take effect at
the second); a guest without an active invitation is signed out; any page but the guest pages
(and signing out, the language, two-factor set-up with allauth's password check before it, the
static files) answers 404; the home page leads to the guest page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.defaults import page_not_found

from comms.services import guests

# Paths a guest may reach besides the guest pages.
GUEST_PATHS = (
    "/guest/",
    "/accounts/logout/",
    "/accounts/language/",
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/jsi18n/",
    "/static/",
)


class GuestScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if not guests.session_is_guest(request, user):
            return self.get_response(request)
        invitation = guests.active_invitation(user)
        if invitation is None:
            logout(request)
            return render(request, "comms/guest_ended.html", status=403)
        request.guest_invitation = invitation  # type: ignore[attr-defined]
        if request.path == "/":
            return HttpResponseRedirect(reverse("comms:guest_room"))
        if not request.path.startswith(GUEST_PATHS):
            return page_not_found(request, Http404())
        return self.get_response(request)
