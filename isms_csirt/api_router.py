"""The /api/v1/ router: every app registers its viewsets here, nowhere else."""

from rest_framework.routers import DefaultRouter

from incidents.api import views as incidents

router = DefaultRouter()
router.include_format_suffixes = False  # one URL per resource; the format is JSON

router.register("reports", incidents.ReportViewSet, basename="report")
router.register("events", incidents.EventViewSet, basename="event")
router.register("incidents", incidents.IncidentViewSet, basename="incident")
INCIDENT = r"incidents/(?P<incident_ref>[^/.]+)"
router.register(
    f"{INCIDENT}/affected-assets", incidents.AffectedAssetViewSet, basename="incident-asset"
)
router.register(
    f"{INCIDENT}/mail-deliveries", incidents.MailDeliveryViewSet, basename="incident-delivery"
)
router.register(f"{INCIDENT}/indicators", incidents.IndicatorViewSet, basename="incident-indicator")
router.register(f"{INCIDENT}/tasks", incidents.TaskViewSet, basename="incident-task")
router.register(f"{INCIDENT}/evidence", incidents.EvidenceViewSet, basename="incident-evidence")
router.register(f"{INCIDENT}/timeline", incidents.TimelineViewSet, basename="incident-timeline")

urlpatterns = router.urls
