"""The privacy records in the Django admin, read only: the services write them (the data-set
inventory has its own pages, /data-sets/)."""

from django.contrib import admin

from common.admin import RecordAdmin
from privacy import models as m


@admin.register(m.DataSet)
class DataSetAdmin(RecordAdmin):
    list_display = ("name", "organisation", "contains_personal_data", "individuals_count")


@admin.register(m.DataSetLeak)
class DataSetLeakAdmin(RecordAdmin):
    list_display = ("incident", "data_set", "kind", "observed_at")


@admin.register(m.AppiAssessment)
class AppiAssessmentAdmin(RecordAdmin):
    list_display = ("incident", "screening", "status", "aware_at")


@admin.register(m.Obligation)
class ObligationAdmin(RecordAdmin):
    list_display = ("incident", "kind", "status", "due_at")
    list_filter = ("status", "kind")


@admin.register(m.PpcReport)
class PpcReportAdmin(RecordAdmin):
    list_display = ("incident", "version", "updated_at")
