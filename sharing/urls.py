from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("incidents/<str:ref>/stix-export/", views.stix_export, name="stix_export"),
    path("incidents/<str:ref>/misp-export/", views.misp_export, name="misp_export"),
]
