from django.contrib import admin

from incidents import models as m


@admin.register(m.Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ("ref", "title", "category", "status", "level", "priority", "declared_at")
    list_filter = ("status", "level", "category", "priority")
    search_fields = ("ref", "title")
    # Status and level change only through their commands (timeline, guards, decisions).
    readonly_fields = (
        "ref",
        "year",
        "seq",
        "status",
        "level",
        "recommended_level",
        "peak_level",
        "declared_at",
    )


@admin.register(m.Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("id", "summary", "status", "priority", "report_count", "received_at")
    list_filter = ("status", "priority")
    readonly_fields = ("status", "incident", "triaged_at", "triaged_by")


@admin.register(m.Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("id", "reporter_name", "subject", "channel", "received_at")
    search_fields = ("subject", "sender", "reporter_email")
    readonly_fields = ("event", "incident", "matched", "received_at")


@admin.register(m.Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ("asset_tag", "hostname", "kind", "holds_personal_data", "criticality")
    search_fields = ("asset_tag", "hostname")


@admin.register(m.TimelineEntry)
class TimelineEntryAdmin(admin.ModelAdmin):
    list_display = ("incident", "seq", "at", "kind", "actor_label", "key_id")

    # Entries are written only by timeline_append, which signs them.
    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


admin.site.register([m.IntakeSettings, m.Indicator, m.Task, m.EvidenceItem])
