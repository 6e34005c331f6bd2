from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import directory, sso
from accounts.models import (
    ApiKey,
    IdentityProvider,
    Organisation,
    OrganisationUnit,
    RoleAssignment,
    User,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "time_zone", "csirt_step", "desk_phone")


@admin.register(OrganisationUnit)
class OrganisationUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "organisation")
    list_filter = ("organisation",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "email", "organisation", "unit", "is_staff")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Organisation"),
            {"fields": ("display_name", "organisation", "unit", "phone", "preferred_language")},
        ),
    )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """A phone number edited here reaches the emergency kit now, not at the daily sweep."""
        super().save_model(request, obj, form, change)
        if directory.CONTACT_FIELDS & set(form.changed_data):
            directory.contact_changed(obj)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("role", "priority", "user", "organisation")
    list_filter = ("organisation", "role")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Read-only: keys are minted on the ISMS office's page, where the secret is shown once."""

    list_display = ("name", "prefix", "organisation", "scope", "last_used_at", "revoked_at")
    list_filter = ("organisation", "scope")
    readonly_fields = (
        "organisation",
        "name",
        "prefix",
        "scope",
        "service_user",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    exclude = ("secret_hash",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class IdentityProviderForm(forms.ModelForm):
    issuer_url = forms.URLField(label=_("issuer URL"), max_length=300, assume_scheme="https")
    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Stored encrypted and never shown again; leave empty to keep the stored one. "
            "Without a stored secret it is read from the environment variable "
            "OIDC_CLIENT_SECRET_<NAME>."
        ),
    )

    class Meta:
        model = IdentityProvider
        fields = ("organisation", "slug", "label", "issuer_url", "client_id", "is_enabled")

    def save(self, commit: bool = True) -> IdentityProvider:
        provider = super().save(commit=False)
        if self.cleaned_data.get("client_secret"):
            secret = self.cleaned_data["client_secret"]
            provider.client_secret_encrypted = sso.encrypt_secret(secret)
        if commit:
            provider.save()
        return provider


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """An organisation's single sign-on. The redirect URI to register at the provider is
    https://<host>/accounts/oidc/<name>/login/callback/."""

    form = IdentityProviderForm
    list_display = ("organisation", "label", "issuer_url", "slug", "is_enabled")
