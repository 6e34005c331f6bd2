"""Who must use a second factor, whether this session has passed it, and the gate that says so.

The factors themselves — TOTP, WebAuthn security keys and passkeys, recovery codes — and their
pages are django-allauth's MFA; this module only decides. The policy is global (settings):
holders of ``TWO_FACTOR_REQUIRED_ROLES`` and, with ``TWO_FACTOR_REQUIRED_FOR_STAFF``, staff users.
Apps above accounts add people who need the factor at once, with no grace period
(``register_immediate_requirement``: comms asks it of outside responders when
``TWO_FACTOR_REQUIRED_FOR_GUESTS`` is on) — accounts never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts import selectors, services
from accounts.models import User
from accounts.redirects import safe_local_path
from common import clock

FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

# user → True when the person must have a second factor before any page, without the grace
# period (registered at start-up by the apps above accounts).
_immediate: list[Callable[[User], bool]] = []


def register_immediate_requirement(check: Callable[[User], bool]) -> None:
    if check not in _immediate:
        _immediate.append(check)


def is_required_now(user: User) -> bool:
    """True when the policy asks this person for the factor before anything else."""
    return any(check(user) for check in _immediate)


def is_required(user: User) -> bool:
    """True when the policy asks this person for a second factor."""
    if is_required_now(user):
        return True
    if user.is_staff and settings.TWO_FACTOR_REQUIRED_FOR_STAFF:
        return True
    roles = settings.TWO_FACTOR_REQUIRED_ROLES
    # The roles came with the signed-in user (accounts.selectors.signed_in_user).
    return bool(roles) and any(a.role in roles for a in selectors.role_assignments_of(user))


def is_enrolled(user: User) -> bool:
    """True when the person has an authenticator app or a security key (recovery codes alone
    are a fallback, not a factor). Read with the signed-in user when it came from a session."""
    found = getattr(user, ENROLLED, None)
    if found is not None:
        return bool(found)
    return Authenticator.objects.filter(user=user, type__in=FACTORS).exists()


ENROLLED = "_two_factor_enrolled"


def enrolled_subquery() -> Exists:
    """``is_enrolled`` of the outer query's user (``SIGNED_IN_EXTRAS``: no query of its own)."""
    return Exists(Authenticator.objects.filter(user=OuterRef("pk"), type__in=FACTORS))


def has_passed(request: HttpRequest) -> bool:
    """True when this session's sign-in included a second factor (allauth records it)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def enrolment_deadline(user: User) -> datetime:
    """The end of the grace period of someone who must enrol; it starts when first noticed."""
    since = user.two_factor_required_since or services.user_start_two_factor_grace(user=user)
    return since + timedelta(days=settings.TWO_FACTOR_GRACE_DAYS)


def verify_url(next_path: str) -> str:
    return f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_path})}"


def enrol_url() -> str:
    return reverse("mfa_index")


# Pages that stay open to someone the gate stops: signing in and out, the factors' own pages,
# the language switch, static files and the probes.
OPEN_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/accounts/language/",
    "/static/",
    "/jsi18n/",
    "/healthz",
    "/readyz",
)


def gate(request: HttpRequest) -> HttpResponse | None:
    """The answer for a page request that the policy stops, or None to let it through.

    Enrolled but not verified in this session (a sign-in that skipped allauth's step, such as
    the admin's login): verify. Not enrolled past the grace period: enrol. Within the grace
    period ``request.two_factor_deadline`` is set for the banner; someone required now (an
    outside responder) has none.
    """
    user = request.user
    if request.path.startswith(OPEN_PREFIXES) or not is_required(user):
        return None
    if is_enrolled(user):
        return None if has_passed(request) else _stop(request, verify_url(_back(request)))
    if is_required_now(user):
        return _stop(request, enrol_url())
    deadline = enrolment_deadline(user)
    if clock.wall_now() < deadline:
        request.two_factor_deadline = deadline  # type: ignore[attr-defined]
        return None
    return _stop(request, enrol_url())


def _back(request: HttpRequest) -> str:
    """Where to come back after verifying: this page, or for a form the page that sent it."""
    if request.method == "GET":
        return request.get_full_path()
    referer = urlsplit(request.headers.get("Referer", ""))
    same_site = referer.netloc in ("", request.get_host())
    return safe_local_path(referer.path if same_site else "", default="/")


def _stop(request: HttpRequest, target: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {
            "code": "second_factor_required",
            "message": _("Two-factor authentication is required for this account."),
            "details": {"url": target},
        }
        return JsonResponse(body, status=403)
    return HttpResponseRedirect(target)


def second_factor_required(
    return_to: str | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A view decorator for the acts that need the second factor whatever the grace period
    (deciding a decision): someone the policy asks for it must have passed it in this session.

    ``return_to`` names the page (URL name, same arguments) to come back to after a refused
    POST; a GET comes back to itself.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not is_required(user) or has_passed(request):
                return view(request, *args, **kwargs)
            back = request.get_full_path()
            if request.method != "GET" and return_to:
                back = reverse(return_to, args=args, kwargs=kwargs)
            if is_enrolled(user):
                return HttpResponseRedirect(verify_url(back))
            messages.warning(
                request, _("Deciding needs two-factor authentication. Set it up first.")
            )
            return HttpResponseRedirect(enrol_url())

        return wrapped

    return decorator
