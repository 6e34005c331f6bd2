from django.urls import path

from records import views

app_name = "records"

urlpatterns = [
    path("incidents/<str:ref>/report/", views.report_print, name="report_print"),
    path("incidents/<str:ref>/report.pdf", views.report_pdf, name="report_pdf"),
    path("emergency-kit/", views.kit_page, name="kit"),
    path("emergency-kit/kit.pdf", views.kit_pdf, name="kit_pdf"),
    path("emergency-kit/regenerate/", views.kit_regenerate, name="kit_regenerate"),
    path("emergency-kit/printed/", views.kit_printed, name="kit_printed"),
    path("emergency-kit/poster/", views.poster, name="poster"),
]
