from django.urls import path

from dashboard.views import home, lists, metrics, room, statistics

app_name = "dashboard"

urlpatterns = [
    path("", home.index, name="index"),
    path("metrics", metrics.metrics, name="metrics"),
    path("dashboard/incidents/", lists.incident_list, name="incidents"),
    path("dashboard/reports/", lists.report_list, name="reports"),
    path("dashboard/decisions/", lists.decision_list, name="decisions"),
    path("dashboard/tasks/", lists.task_list, name="tasks"),
    path("dashboard/alerts/", lists.alert_list, name="alerts"),
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("statistics.csv", statistics.statistics_csv, name="statistics_csv"),
    path("incidents/<str:ref>/live/", room.incident_live, name="incident_live"),
    path("incidents/<str:ref>/timeline/", room.incident_timeline, name="incident_timeline"),
    path("incidents/<str:ref>/deliveries/", room.incident_deliveries, name="incident_deliveries"),
]
