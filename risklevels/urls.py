from django.urls import path

from risklevels import views

app_name = "risklevels"

urlpatterns = [
    path("incidents/<str:ref>/findings/", views.record_finding, name="record_finding"),
    path("incidents/<str:ref>/level/lower/", views.lower_level, name="lower_level"),
    path("escalation/settings/", views.escalation_settings, name="settings"),
    path("escalation/levels/<int:level>/", views.level_definition_update, name="level_update"),
    path("escalation/checklists/new/", views.checklist_template_save, name="template_new"),
    path("escalation/checklists/<int:pk>/", views.checklist_template_save, name="template_update"),
]
