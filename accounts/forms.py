from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiKey, ApiKeyScope, OrganisationUnit, User
from common.columns import NOTHING, ends_in


class LockedOutLoginForm(AuthenticationForm):
    """The login form as a locked-out client sees it: the lockout's message, no new attempt.

    Bound to what was posted (the username stays filled in) but never validated, so rendering it
    does not call ``authenticate`` again.
    """

    stores = NOTHING

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed attempts. Wait %(minutes)d minutes and try again, "
            "or reset your password."
        ),
    }

    def full_clean(self) -> None:
        self._errors = ErrorDict()
        self.cleaned_data: dict[str, Any] = {}
        minutes = max(1, settings.LOGIN_COOL_OFF_SECONDS // 60)
        self.add_error(
            None,
            forms.ValidationError(
                self.error_messages["throttled"], code="throttled", params={"minutes": minutes}
            ),
        )


class LanguageForm(forms.Form):
    stores = ends_in(User, language="accounts.User.preferred_language", nowhere=("next",))

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class ApiKeyForm(forms.Form):
    stores = ends_in(ApiKey)

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


# --- The directory (issue 15): people and departments -------------------------------------------


class InviteForm(forms.Form):
    """Invite a person by email: the address is also the user name."""

    stores = ends_in(User, email=("accounts.User.email", "accounts.User.username"))

    email = forms.EmailField(label=_("Email address"), max_length=150)
    display_name = forms.CharField(
        label=_("Name as shown"),
        max_length=150,
        required=False,
        help_text=_("As colleagues know them, e.g. “Taro Yamada”."),
    )
    unit = forms.ModelChoiceField(
        label=_("Department"),
        queryset=OrganisationUnit.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=settings.LANGUAGES,
        initial="ja",
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class UnitForm(forms.Form):
    """Add a department, or rename it and move it under another one."""

    stores = ends_in(OrganisationUnit)

    name = forms.CharField(label=_("Department name"), max_length=200)
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        queryset=OrganisationUnit.objects.none(),
        required=False,
        empty_label=_("(top level)"),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units
