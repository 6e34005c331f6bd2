"""The /api/v1/ router: every app registers its viewsets here, nowhere else."""

from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from bcp.api import views as bcp
from common.api import api_not_found
from comms.api import views as comms
from incidents.api import views as incidents
from isms.api import views as isms
from notifications.api import views as notifications
from privacy.api import views as privacy
from records.api import views as records
from risklevels.api import views as risklevels
from sharing.api import views as sharing
from training.api import views as training

router = DefaultRouter()
router.include_format_suffixes = False  # one URL per resource; the format is JSON

router.register("reports", incidents.ReportViewSet, basename="report")
router.register("events", incidents.EventViewSet, basename="event")
router.register("alert-sources", incidents.AlertSourceViewSet, basename="alert-source")
router.register("incidents", incidents.IncidentViewSet, basename="incident")
INCIDENT = r"incidents/(?P<incident_ref>[^/.]+)"
router.register(
    f"{INCIDENT}/affected-assets", incidents.AffectedAssetViewSet, basename="incident-asset"
)
router.register(
    f"{INCIDENT}/mail-deliveries", incidents.MailDeliveryViewSet, basename="incident-delivery"
)
router.register(
    f"{INCIDENT}/mail-messages", incidents.MailMessageViewSet, basename="incident-message"
)
router.register(
    f"{INCIDENT}/relations", incidents.IncidentRelationViewSet, basename="incident-relation"
)
router.register(f"{INCIDENT}/indicators", incidents.IndicatorViewSet, basename="incident-indicator")
router.register(f"{INCIDENT}/tasks", incidents.TaskViewSet, basename="incident-task")
router.register(f"{INCIDENT}/evidence", incidents.EvidenceViewSet, basename="incident-evidence")
router.register(f"{INCIDENT}/timeline", incidents.TimelineViewSet, basename="incident-timeline")

router.register("role-assignments", bcp.RoleAssignmentViewSet, basename="role-assignment")
router.register("absences", bcp.AbsenceViewSet, basename="absence")
router.register("delegations", bcp.DelegationViewSet, basename="delegation")
router.register("decisions", bcp.DecisionViewSet, basename="decision")
router.register("bcp-activations", bcp.BcpActivationViewSet, basename="bcp-activation")
router.register(f"{INCIDENT}/bcp-actions", bcp.BcpActionViewSet, basename="incident-bcp-action")
router.register(f"{INCIDENT}/trend", risklevels.TrendViewSet, basename="incident-trend")
router.register("corrective-actions", isms.CorrectiveActionViewSet, basename="corrective-action")
router.register("annex-a-controls", isms.AnnexAControlViewSet, basename="annex-a-control")
router.register(
    f"{INCIDENT}/communications", comms.CommunicationViewSet, basename="incident-communication"
)
router.register(
    f"{INCIDENT}/guest-invitations",
    comms.GuestInvitationViewSet,
    basename="incident-guest-invitation",
)
router.register("message-templates", comms.MessageTemplateViewSet, basename="message-template")
router.register("external-contacts", comms.ExternalContactViewSet, basename="external-contact")
router.register("data-sets", privacy.DataSetViewSet, basename="data-set")
router.register("obligations", privacy.ObligationViewSet, basename="obligation")
router.register(f"{INCIDENT}/data-leaks", privacy.DataLeakViewSet, basename="incident-data-leak")
router.register("level-definitions", risklevels.LevelDefinitionViewSet, basename="level-definition")
router.register(
    "checklist-templates", risklevels.ChecklistTemplateViewSet, basename="checklist-template"
)
router.register("notifications", notifications.NotificationViewSet, basename="notification")
router.register("alert-channels", notifications.AlertChannelViewSet, basename="alert-channel")
router.register(
    "delivery-attempts", notifications.DeliveryAttemptViewSet, basename="delivery-attempt"
)
router.register("people", training.PersonViewSet, basename="training-person")
router.register("csv-imports", training.CsvImportViewSet, basename="csv-import")
router.register("courses", training.CourseViewSet, basename="course")
router.register("training-sessions", training.TrainingSessionViewSet, basename="training-session")
router.register("completions", training.CompletionViewSet, basename="completion")
router.register(
    "training-assignments", training.TrainingAssignmentViewSet, basename="training-assignment"
)
router.register("phishing-drills", training.PhishingDrillViewSet, basename="phishing-drill")
router.register("csirt-functions", training.CsirtFunctionViewSet, basename="csirt-function")
router.register("exercises", training.ExerciseViewSet, basename="exercise")

urlpatterns = [
    *router.urls,
    path(
        "incidents/<str:incident_ref>/escalation/",
        risklevels.EscalationView.as_view(),
        name="incident-escalation",
    ),
    path(
        "incidents/<str:incident_ref>/escalation/lower/",
        risklevels.LowerLevelView.as_view(),
        name="incident-escalation-lower",
    ),
    path(
        "incidents/<str:incident_ref>/facts/", risklevels.FactView.as_view(), name="incident-facts"
    ),
    path("incidents/<str:incident_ref>/review/", isms.ReviewView.as_view(), name="incident-review"),
    path(
        "incidents/<str:incident_ref>/appi/",
        privacy.AppiAssessmentView.as_view(),
        name="incident-appi",
    ),
    path(
        "incidents/<str:incident_ref>/ppc-report/",
        privacy.PpcReportView.as_view(),
        name="incident-ppc-report",
    ),
    path("intel/imports/", sharing.IntelImportView.as_view(), name="intel-import"),
    path(
        "incidents/<str:incident_ref>/stix-export/",
        sharing.StixExportView.as_view(),
        name="incident-stix-export",
    ),
    path(
        "incidents/<str:incident_ref>/misp-export/",
        sharing.MispExportView.as_view(),
        name="incident-misp-export",
    ),
    path(
        "incidents/<str:incident_ref>/report-pdf/",
        records.IncidentReportPdfView.as_view(),
        name="incident-report-pdf",
    ),
    path("emergency-kit/", records.EmergencyKitPdfView.as_view(), name="emergency-kit"),
    path("escalation-params/", risklevels.EscalationParamsView.as_view(), name="escalation-params"),
    path("exercise-scenarios/", training.ScenarioSamplesView.as_view(), name="exercise-scenarios"),
    path(
        "exercise-scenarios/schema/",
        training.ScenarioSchemaView.as_view(),
        name="exercise-scenario-schema",
    ),
    path("training-coverage/", training.CoverageView.as_view(), name="training-coverage"),
    # Last: any other path under /api/v1/ is the API's JSON 404, not the site's HTML page.
    re_path(r"^(?P<path>.*)$", api_not_found),
]
