from django.contrib import admin

from bcp.models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("role", "priority", "user", "organisation")
    list_filter = ("organisation", "role")
