from django.contrib import admin

from common.admin import RecordAdmin
from isms import models as m


@admin.register(m.AnnexAControl)
class AnnexAControlAdmin(RecordAdmin):
    """The catalogue is seeded by migration."""

    list_display = ("id", "title_ja", "title_en")


@admin.register(m.PostIncidentReview)
class PostIncidentReviewAdmin(RecordAdmin):
    list_display = ("incident", "management_review_input", "updated_at")


@admin.register(m.CorrectiveAction)
class CorrectiveActionAdmin(RecordAdmin):
    list_display = ("title", "incident", "owner", "due_on", "status")
    list_filter = ("status",)
