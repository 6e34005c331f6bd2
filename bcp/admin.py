from django.contrib import admin

from bcp import models as m
from common.admin import RecordAdmin


@admin.register(m.Decision)
class DecisionAdmin(RecordAdmin):
    """Decisions change only through their services (deadlines, first-wins, snapshots)."""

    list_display = ("incident", "type", "status", "assignee", "due_at", "overdue", "outcome")
    list_filter = ("status", "type", "overdue")


@admin.register(m.BcpActivation)
class BcpActivationAdmin(RecordAdmin):
    """The BCP state moves only by decision (B-1..B-3), each move on the timeline."""

    list_display = ("incident", "state", "activated_at", "stood_down_at")


admin.site.register(m.BcpAction, RecordAdmin)
# The plan and the policy are configuration, kept by the ISMS office.
admin.site.register([m.BcpPlanService, m.CallTreeEntry, m.DecisionPolicy])
