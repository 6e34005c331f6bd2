from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access, selectors, services, sso, throttle
from accounts.forms import ApiKeyForm, LanguageForm, LockedOutLoginForm
from accounts.redirects import safe_local_path


class LoginView(auth_views.LoginView):
    """The password step. A right password hands over to allauth's login stages, which ask for
    the second factor of an enrolled person before the session is signed in."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_redirect_url(self) -> str:
        target = self.request.POST.get("next", self.request.GET.get("next", ""))
        return safe_local_path(target, default="")

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        # allauth's record of the factors this session used; its reauthentication and our
        # two-factor gate read it.
        record_authentication(self.request, user, method="password", username=user.username)
        return perform_login(self.request, user, redirect_url=self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso_providers"] = sso.enabled_providers().order_by("organisation__name")
        return context


@never_cache
@require_http_methods(["GET"])
def sso_entry(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's single sign-on address (/accounts/sso/<slug>/): the button that starts
    the sign-in at its provider (a POST, as allauth asks, so a link alone cannot start it)."""
    provider = sso.enabled_providers().filter(slug=slug).first()
    if provider is None:
        raise Http404
    next_path = safe_local_path(request.GET.get("next", ""), default="")
    return render(request, "accounts/sso_entry.html", {"provider": provider, "next": next_path})


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """Axes' answer to a locked-out client (``AXES_LOCKOUT_CALLABLE``), on every login path.

    The site's login page with the lockout's message, status 429; it posts back to the path it
    was shown on, so the admin's login stays the admin's.
    """
    form = LockedOutLoginForm(request, data=request.POST)
    next_path = safe_local_path(request.POST.get("next", ""), default="")
    return render(request, "accounts/login.html", {"form": form, "next": next_path}, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """Same answer for known and unknown addresses; quietly drops requests over the limit."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        email = form.cleaned_data["email"]
        if not throttle.password_reset_allowed(email, throttle.client_address(self.request)):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered for the user and in a cookie."""
    form = LanguageForm(request.POST)
    target = safe_local_path(request.POST.get("next"))
    if not form.is_valid():
        return HttpResponseRedirect(target)
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    context = {
        "language_form": LanguageForm(),
        "can_manage_api_keys": access.can_manage_api_keys(request.user),
        "can_manage_people": access.can_manage_people(request.user),
    }
    return render(request, "accounts/profile.html", context)


def _require_key_admin(request: HttpRequest) -> None:
    if not access.can_manage_api_keys(request.user):
        raise PermissionDenied


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    """The ISMS office's list of API keys; a POST mints one and shows it this once."""
    _require_key_admin(request)
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key, plain = services.api_key_create(
            organisation=request.user.organisation, actor=request.user, **form.cleaned_data
        )
        # Rendered, not redirected: the plain key must never sit in a session or a URL.
        return render(request, "accounts/api_key_created.html", {"key": key, "plain": plain})
    context = {"form": form, "keys": selectors.api_keys_of(request.user)}
    return render(request, "accounts/api_keys.html", context)


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_key_admin(request)
    key = selectors.api_key_get(user=request.user, pk=pk)
    services.api_key_revoke(api_key=key, actor=request.user)
    messages.success(request, _("The key “%(name)s” is revoked.") % {"name": key.name})
    return redirect("accounts:api_keys")
