"""Language and time zone per user.

Order of precedence for the language: ``?lang=xx`` in the URL (also saved for a logged-in user),
then the user's preferred language, then Django's LocaleMiddleware (cookie, Accept-Language).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from accounts import services

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
