from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("data-sets/", views.data_set_list, name="data_sets"),
    path("data-sets/add/", views.data_set_add, name="data_set_add"),
    path("data-sets/import/", views.data_set_import, name="data_set_import"),
    path("data-sets/export.csv", views.data_set_export, name="data_set_export"),
    path("data-sets/<int:pk>/", views.data_set_detail, name="data_set_detail"),
    path("incidents/<str:ref>/privacy/", views.incident_privacy, name="incident_privacy"),
    path("incidents/<str:ref>/privacy/leaks/", views.leak_add, name="leak_add"),
    path("incidents/<str:ref>/privacy/cause/", views.cause_set, name="cause_set"),
    path("incidents/<str:ref>/privacy/obligations/", views.obligation_add, name="obligation_add"),
    path("incidents/<str:ref>/ppc-report/", views.ppc_report, name="ppc_report"),
    path(
        "incidents/<str:ref>/individual-notice/",
        views.individual_notice,
        name="individual_notice",
    ),
    path(
        "obligations/<int:pk>/<str:move>/",
        views.obligation_move,
        name="obligation_move",
    ),
    path("privacy/inbox/", views.inbox, name="inbox"),
]
