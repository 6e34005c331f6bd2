from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiKey, Organisation, OrganisationUnit, RoleAssignment, User


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
