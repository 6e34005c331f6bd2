from django.urls import path

from bcp.views import actions, decisions, manual, plan, roster

app_name = "bcp"

urlpatterns = [
    path("decisions/", decisions.inbox, name="decision_inbox"),
    path("decisions/<int:pk>/", decisions.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/decide/", decisions.decide, name="decision_decide"),
    path("decisions/<int:pk>/ratify/", decisions.ratify, name="decision_ratify"),
    path("decisions/<int:pk>/withdraw/", manual.withdraw, name="decision_withdraw"),
    path("incidents/<str:ref>/decisions/", manual.decision_open, name="decision_open"),
    path("roster/", roster.roster, name="roster"),
    path("roster/assignments/", roster.assignment_add, name="assignment_add"),
    path(
        "roster/assignments/<int:pk>/remove/",
        roster.assignment_remove,
        name="assignment_remove",
    ),
    path("roster/absences/", roster.absence_add, name="absence_add"),
    path("roster/absences/<int:pk>/remove/", roster.absence_remove, name="absence_remove"),
    path("roster/delegations/", roster.delegation_add, name="delegation_add"),
    path(
        "roster/delegations/<int:pk>/remove/",
        roster.delegation_remove,
        name="delegation_remove",
    ),
    path("bcp/plan/", plan.plan_view, name="plan"),
    path("bcp/plan/services/", plan.service_add, name="service_add"),
    path("bcp/plan/services/<int:pk>/", plan.service_update, name="service_update"),
    path("bcp/plan/services/<int:pk>/remove/", plan.service_remove, name="service_remove"),
    path("bcp/plan/calls/", plan.call_add, name="call_add"),
    path("bcp/plan/calls/<int:pk>/", plan.call_update, name="call_update"),
    path("bcp/plan/calls/<int:pk>/remove/", plan.call_remove, name="call_remove"),
    path(
        "bcp/actions/<int:pk>/done/",
        actions.action_record,
        {"step": "execute"},
        name="action_execute",
    ),
    path(
        "bcp/actions/<int:pk>/restored/",
        actions.action_record,
        {"step": "restore"},
        name="action_restore",
    ),
]
