from django.urls import path

from incidents.views import (
    channels,
    closing,
    incident_actions,
    incidents,
    intake_admin,
    mailbox,
    report,
    reports,
    responder,
    triage,
)

app_name = "incidents"

urlpatterns = [
    # One-tap report: logged-in staff …
    path("report/", report.report_start, name="report_start"),
    path("report/tap/", report.report_tap, name="report_tap"),
    path("report/first-aid/", report.report_first_aid, name="report_first_aid"),
    path("report/form/", report.report_form, name="report_form"),
    path("report/done/", report.report_done, name="report_done"),
    # … and people without an account, through the organisation's reporting link.
    path("r/<str:token>/", report.link_start, name="link_start"),
    path("r/<str:token>/tap/", report.link_tap, name="link_tap"),
    path("r/<str:token>/first-aid/", report.link_first_aid, name="link_first_aid"),
    path("r/<str:token>/form/", report.link_form, name="link_form"),
    path("r/<str:token>/done/", report.link_done, name="link_done"),
    # … and the details from a phone, through the signed link of the first-aid page.
    path("report/details/<str:token>/", report.report_details, name="report_details"),
    path(
        "report/details/<str:token>/done/",
        report.report_details_done,
        name="report_details_done",
    ),
    path("reports/new/", responder.responder_report, name="responder_report"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/eml/", reports.report_eml, name="report_eml"),
    path("reports/<int:pk>/eml/keep/", reports.report_keep_eml, name="report_keep_eml"),
    path("triage/", triage.queue, name="triage_queue"),
    path("triage/<int:pk>/", triage.item, name="triage_item"),
    path("triage/<int:pk>/promote/", triage.promote, name="triage_promote"),
    path("triage/<int:pk>/attach/", triage.attach, name="triage_attach"),
    path("triage/<int:pk>/close/", triage.close, name="triage_close"),
    path("incidents/", incidents.incident_list, name="incident_list"),
    path("incidents/<str:ref>/", incidents.incident_detail, name="incident_detail"),
    path(
        "incidents/<str:ref>/transition/", incident_actions.transition, name="incident_transition"
    ),
    path("incidents/<str:ref>/close/", closing.incident_close, name="incident_close"),
    path("incidents/<str:ref>/edit/", incident_actions.incident_edit, name="incident_edit"),
    path("incidents/<str:ref>/assets/", incident_actions.asset_add, name="asset_add"),
    path(
        "incidents/<str:ref>/assets/<int:pk>/", incident_actions.asset_update, name="asset_update"
    ),
    path("incidents/<str:ref>/indicators/", incident_actions.indicator_add, name="indicator_add"),
    path(
        "incidents/<str:ref>/indicators/<int:pk>/block/",
        incident_actions.indicator_block,
        name="indicator_block",
    ),
    path("incidents/<str:ref>/tasks/", incident_actions.task_add, name="task_add"),
    path("incidents/<str:ref>/mail-messages/", incident_actions.message_add, name="message_add"),
    path("incidents/<str:ref>/relations/", incident_actions.relation_add, name="relation_add"),
    path(
        "incidents/<str:ref>/relations/<int:pk>/remove/",
        incident_actions.relation_remove,
        name="relation_remove",
    ),
    path(
        "incidents/<str:ref>/tasks/<int:pk>/finish/",
        incident_actions.task_finish,
        name="task_finish",
    ),
    path("incidents/<str:ref>/evidence/", incident_actions.evidence_upload, name="evidence_upload"),
    path("intake/settings/", intake_admin.intake_settings, name="intake_settings"),
    path("intake/settings/link/rotate/", intake_admin.link_rotate, name="link_rotate"),
    path("intake/settings/link/qr.<str:kind>", intake_admin.link_qr, name="link_qr"),
    path("intake/sources/", channels.alert_sources, name="alert_sources"),
    path("intake/mailbox/", mailbox.report_mailbox, name="report_mailbox"),
    path(
        "intake/sources/<int:pk>/disable/",
        channels.alert_source_disable,
        name="alert_source_disable",
    ),
    # A security tool posts its signed alerts here (docs/api.md, "Security-tool alerts").
    path("hooks/alerts/<str:token>/", channels.alert_hook, name="alert_hook"),
]
