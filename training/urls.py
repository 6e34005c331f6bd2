from django.urls import path

from training.views import courses, coverage, drills, people

app_name = "training"

urlpatterns = [
    path("", coverage.hub, name="hub"),
    path("people/", people.people_list, name="people_list"),
    path("people/export/", people.people_export, name="people_export"),
    path("people/import/", people.people_import, name="people_import"),
    path("people/<int:pk>/", courses.person_detail, name="person_detail"),
    path("imports/<int:pk>/", people.import_preview, name="import_preview"),
    path("imports/<int:pk>/apply/", people.import_apply, name="import_apply"),
    path("imports/<int:pk>/discard/", people.import_discard, name="import_discard"),
    path("courses/", courses.course_list, name="course_list"),
    path("courses/<int:pk>/", courses.course_detail, name="course_detail"),
    path("courses/<int:pk>/edit/", courses.course_edit, name="course_edit"),
    path("courses/<int:pk>/sessions/", courses.session_add, name="session_add"),
    path("sessions/<int:pk>/", courses.session_detail, name="session_detail"),
    path("drills/", drills.drill_list, name="drill_list"),
    path("drills/<int:pk>/", drills.drill_detail, name="drill_detail"),
    path("drills/<int:pk>/results/", drills.drill_results_upload, name="drill_results_upload"),
    path("coverage/", coverage.coverage, name="coverage"),
    path("coverage/export/", coverage.coverage_export, name="coverage_export"),
]
