from django.urls import path, re_path

from training.views import courses, coverage, csirt, drills, exercises, people, review

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
    path("exercises/", exercises.exercise_list, name="exercise_list"),
    path("exercises/<int:pk>/", exercises.exercise_room, name="exercise_room"),
    path("exercises/<int:pk>/advance/", exercises.exercise_advance, name="exercise_advance"),
    path("exercises/<int:pk>/inject/", exercises.exercise_inject, name="exercise_inject"),
    path(
        "exercises/<int:pk>/decisions/<int:decision_pk>/decide/",
        exercises.exercise_decide,
        name="exercise_decide",
    ),
    re_path(
        r"^exercises/(?P<pk>[0-9]+)/(?P<command>pause|resume|finish|findings)/$",
        exercises.exercise_control,
        name="exercise_control",
    ),
    path("exercises/<int:pk>/report/", exercises.exercise_report, name="exercise_report"),
    path("csirt-map/", csirt.csirt_map, name="csirt_map"),
    path("csirt-map/step/", csirt.csirt_step, name="csirt_step"),
    path("csirt-map/one-page/", csirt.csirt_one_page, name="csirt_one_page"),
    path("csirt-map/<int:number>/", csirt.csirt_function_edit, name="csirt_function_edit"),
    path("review/", review.review, name="review"),
    path("coverage/", coverage.coverage, name="coverage"),
    path("coverage/export/", coverage.coverage_export, name="coverage_export"),
]
