"""Language and time zone per user; the lifetime of a browser session; the two-factor gate.

Order of precedence for the language: ``?lang=xx`` in the URL (also saved for a logged-in user),
then the user's preferred language, then Django's LocaleMiddleware (cookie, Accept-Language).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts import services, two_factor
from common import clock

SUPPORTED = {code for code, _ in settings.LANGUAGES}


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        requested = request.GET.get("lang", "")
        user = getattr(request, "user", None)
        language = None
        if requested in SUPPORTED:
            language = requested
            if user is not None and user.is_authenticated:
                services.user_set_language(user=user, language=requested)
        elif user is not None and user.is_authenticated and user.preferred_language in SUPPORTED:
            language = user.preferred_language
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if requested in SUPPORTED:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                requested,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=settings.LANGUAGE_COOKIE_SECURE,
            )
        return response


class OrganisationTimezoneMiddleware:
    """Show dates and times in the organisation's time zone (stored in UTC)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        org = getattr(user, "organisation", None) if user and user.is_authenticated else None
        if org is not None and org.time_zone:
            timezone.activate(zoneinfo.ZoneInfo(org.time_zone))
        else:
            timezone.deactivate()
        return self.get_response(request)


SIGNED_IN_AT = "_signed_in_at"
SEEN_AT = "_seen_at"


def stamp_session_start(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """user_logged_in receiver: the session's sign-in and last-seen times are the sign-in's."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(clock.wall_now().timestamp())
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now


class SessionLifetimeMiddleware:
    """End a browser session after SESSION_IDLE_TIMEOUT_SECONDS without the user doing anything,
    and SESSION_MAX_AGE_SECONDS after sign-in whatever they do.

    The pages' background polling (htmx GETs) is not activity: an incident room left open on a
    screen must not keep a session alive for ever.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = int(clock.wall_now().timestamp())
        session = request.session
        signed_in = session.setdefault(SIGNED_IN_AT, now)
        seen = session.get(SEEN_AT, now)
        if (
            now - signed_in > settings.SESSION_MAX_AGE_SECONDS
            or now - seen > settings.SESSION_IDLE_TIMEOUT_SECONDS
        ):
            logout(request)
            messages.info(request, _("Your session has ended. Please log in again."))
            return
        is_poll = request.method == "GET" and request.headers.get("HX-Request") == "true"
        # The activity mark is written at most once per SESSION_SEEN_RESOLUTION_SECONDS (a minute):
        # one session write per minute of work, not one per request.
        resolution = settings.SESSION_SEEN_RESOLUTION_SECONDS
        if (not is_poll and now - seen >= resolution) or SEEN_AT not in session:
            session[SEEN_AT] = now


class SecondFactorMiddleware:
    """Send someone the two-factor policy stops to verification or enrolment (two_factor.gate)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            stopped = two_factor.gate(request)
            if stopped is not None:
                return stopped
        return self.get_response(request)
