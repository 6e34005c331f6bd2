from django.contrib import admin

from bcp import models as m


@admin.register(m.Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("incident", "type", "status", "assignee", "due_at", "overdue", "outcome")
    list_filter = ("status", "type", "overdue")
    # Decisions change only through their services (deadlines, first-wins, snapshots).
    readonly_fields = [f.name for f in m.Decision._meta.fields]


admin.site.register(
    [m.BcpActivation, m.BcpAction, m.BcpPlanService, m.CallTreeEntry, m.DecisionPolicy]
)
