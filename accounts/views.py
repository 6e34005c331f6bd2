from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from accounts import services, throttle
from accounts.forms import LanguageForm, ThrottledAuthenticationForm
from accounts.redirects import safe_local_path


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_redirect_url(self) -> str:
        target = self.request.POST.get("next", self.request.GET.get("next", ""))
        return safe_local_path(target, default="")


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
    return render(request, "accounts/profile.html", {"language_form": LanguageForm()})
