from django.contrib import admin

from common.admin import RecordAdmin
from incidents import models as m

# The incident record (incidents, their findings, tasks, evidence, facts and the timeline)
# is read-only here: it changes only through the services, each change on the timeline.


@admin.register(m.Incident)
class IncidentAdmin(RecordAdmin):
    list_display = ("ref", "title", "category", "status", "level", "priority", "declared_at")
    list_filter = ("status", "level", "category", "priority")
    search_fields = ("ref", "title")


@admin.register(m.Event)
class EventAdmin(RecordAdmin):
    list_display = ("id", "summary", "status", "priority", "report_count", "received_at")
    list_filter = ("status", "priority")


@admin.register(m.Report)
class ReportAdmin(RecordAdmin):
    list_display = ("id", "reporter_name", "subject", "channel", "received_at")
    search_fields = ("subject", "sender", "reporter_email")


@admin.register(m.Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ("asset_tag", "hostname", "kind", "holds_personal_data", "criticality")
    search_fields = ("asset_tag", "hostname")


@admin.register(m.TimelineEntry)
class TimelineEntryAdmin(RecordAdmin):
    """Entries are written only by timeline_append, which signs them."""

    list_display = ("incident", "seq", "at", "kind", "actor_label", "key_id")


@admin.register(m.EvidenceItem)
class EvidenceItemAdmin(RecordAdmin):
    list_display = ("incident", "original_name", "sha256")


@admin.register(m.Fact)
class FactAdmin(RecordAdmin):
    list_display = ("incident", "kind", "observed_at")


admin.site.register([m.Indicator, m.Task, m.AffectedAsset], RecordAdmin)
admin.site.register(m.IntakeSettings)
