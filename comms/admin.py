from django.contrib import admin

from common.admin import RecordAdmin
from comms import models as m


@admin.register(m.Communication)
class CommunicationAdmin(RecordAdmin):
    list_display = ("subject", "incident", "audience", "tlp", "status", "sent_at")
    list_filter = ("status", "audience")


@admin.register(m.CommunicationVersion)
class CommunicationVersionAdmin(RecordAdmin):
    list_display = ("communication", "number", "edited_by", "edited_at")


@admin.register(m.MessageTemplate)
class MessageTemplateAdmin(RecordAdmin):
    list_display = ("kind", "language", "organisation", "updated_at")


@admin.register(m.ExternalContact)
class ExternalContactAdmin(RecordAdmin):
    list_display = ("name", "kind", "organisation", "phone", "email")
