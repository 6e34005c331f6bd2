from django.urls import path

from vulns import views

app_name = "vulns"

urlpatterns = [
    path("vulnerabilities/", views.finding_list, name="finding_list"),
    path("vulnerabilities/findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path(
        "vulnerabilities/findings/<int:pk>/incident/",
        views.finding_incident,
        name="finding_incident",
    ),
    path("vulnerabilities/findings/<int:pk>/vex/", views.finding_vex, name="finding_vex"),
    path("vulnerabilities/advisories/<str:vuln_id>/", views.advisory_detail, name="advisory"),
    path("vulnerabilities/advisories/<str:vuln_id>/vex/", views.advisory_vex, name="advisory_vex"),
    path("vulnerabilities/coverage/", views.coverage, name="coverage"),
    path("vulnerabilities/tasks/", views.task_list, name="task_list"),
    path("vulnerabilities/import/", views.feed_upload, name="feed_upload"),
    path("vulnerabilities/assets/<int:pk>/", views.asset_detail, name="asset"),
    path("vulnerabilities/inventory/import/", views.inventory_import, name="inventory_import"),
    path("vulnerabilities/feeds/", views.feed_settings, name="feed_settings"),
    path(
        "vulnerabilities/inventory/import/<int:pk>/",
        views.inventory_preview,
        name="inventory_preview",
    ),
    path(
        "vulnerabilities/inventory/import/<int:pk>/apply/",
        views.inventory_apply,
        name="inventory_apply",
    ),
]
