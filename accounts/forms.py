from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts import throttle
from accounts.models import ApiKeyScope


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuse further attempts for a username + address after too many failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed attempts. Wait %(minutes)d minutes and try again, "
            "or reset your password."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "") or ""
        address = throttle.client_address(self.request) if self.request else "unknown"
        if throttle.login_is_locked(username, address):
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": max(1, settings.LOGIN_COOL_OFF_SECONDS // 60)},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.login_failed(username, address)
            raise
        throttle.login_succeeded(username, address)
        return cleaned


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses the key, e.g. “Mail gateway” or “EDR”."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=ApiKeyScope.choices,
        initial=ApiKeyScope.READ,
        widget=forms.RadioSelect,
        help_text=_(
            "Read: list and read reports and incidents. Read and write: also file "
            "reports and record assets, indicators, tasks and evidence."
        ),
    )
