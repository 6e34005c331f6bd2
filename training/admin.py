"""Admin: readiness records are kept through the app's pages and services; the admin is for
looking, so exercises, imports and the map's change log are read-only here."""

from django.contrib import admin

from training.models import (
    Completion,
    Course,
    CsirtFunction,
    CsirtMapChange,
    CsvImport,
    Exercise,
    Person,
    PhishingDrill,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["employee_no", "name", "population", "unit", "start_date", "left_on"]
    list_filter = ["population"]
    search_fields = ["employee_no", "name", "email"]
    raw_id_fields = ["user", "unit"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "validity_months", "pass_score", "active"]


@admin.register(Completion)
class CompletionAdmin(ReadOnlyAdmin):
    list_display = ["person", "course", "completed_on", "status", "score", "valid_until"]


@admin.register(PhishingDrill)
class PhishingDrillAdmin(ReadOnlyAdmin):
    list_display = ["title", "sent_at", "results_imported_at"]


@admin.register(Exercise)
class ExerciseAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "mode", "speed", "starts_at", "processed_to"]


@admin.register(CsvImport)
class CsvImportAdmin(ReadOnlyAdmin):
    list_display = ["kind", "filename", "status", "row_count", "created_at"]
    exclude = ["content"]


@admin.register(CsirtFunction)
class CsirtFunctionAdmin(ReadOnlyAdmin):
    list_display = ["number", "name_ja", "name_en", "iso_controls", "default_step"]


@admin.register(CsirtMapChange)
class CsirtMapChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "organisation", "function", "field", "before", "after", "actor"]
