from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/alerts/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("notifications/ack/<str:token>/", views.ack_link, name="ack_link"),
    path("notifications/open/<str:token>/", views.open_link, name="open_link"),
]
