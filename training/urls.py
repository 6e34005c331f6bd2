from django.urls import path

from training.views import people

app_name = "training"

urlpatterns = [
    path("people/", people.people_list, name="people_list"),
    path("people/export/", people.people_export, name="people_export"),
    path("people/import/", people.people_import, name="people_import"),
    path("imports/<int:pk>/", people.import_preview, name="import_preview"),
    path("imports/<int:pk>/apply/", people.import_apply, name="import_apply"),
    path("imports/<int:pk>/discard/", people.import_discard, name="import_discard"),
]
