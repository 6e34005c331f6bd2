from django.urls import path

from sharing import intel_views, views

app_name = "sharing"

urlpatterns = [
    path("incidents/<str:ref>/stix-export/", views.stix_export, name="stix_export"),
    path("incidents/<str:ref>/misp-export/", views.misp_export, name="misp_export"),
    path(
        "incidents/<str:ref>/suggestions/extract/",
        views.suggestions_extract,
        name="suggestions_extract",
    ),
    path(
        "incidents/<str:ref>/suggestions/<int:pk>/accept/",
        views.suggestion_decide,
        {"decision": "accept"},
        name="suggestion_accept",
    ),
    path(
        "incidents/<str:ref>/suggestions/<int:pk>/reject/",
        views.suggestion_decide,
        {"decision": "reject"},
        name="suggestion_reject",
    ),
    path("incidents/<str:ref>/indicators/tlp/", views.indicator_tlp, name="indicator_tlp"),
    path("intel/import/", intel_views.intel_import, name="intel_import"),
]
