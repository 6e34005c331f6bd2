from django.urls import path

from isms import views

app_name = "isms"

urlpatterns = [
    path("incidents/<str:ref>/review/", views.review, name="review"),
    path("incidents/<str:ref>/corrective-actions/", views.action_add, name="action_add"),
    path("corrective-actions/", views.action_list, name="action_list"),
    path("corrective-actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("corrective-actions/<int:pk>/status/", views.action_status, name="action_status"),
]
