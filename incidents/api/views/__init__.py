"""The incident API (/api/v1/): thin viewsets. Reads go through selectors, writes through services.

Every object lookup is a visibility-filtered selector, so an object the user may not see is a
404; commands are POST actions with their own serializer and return the changed resource.
"""

from incidents.api.views.campaign import IncidentRelationViewSet, MailMessageViewSet
from incidents.api.views.channels import AlertSourceViewSet
from incidents.api.views.incident import IncidentViewSet
from incidents.api.views.intake import EventViewSet, ReportViewSet
from incidents.api.views.record import (
    AffectedAssetViewSet,
    EvidenceViewSet,
    IndicatorViewSet,
    MailDeliveryViewSet,
    TaskViewSet,
    TimelineViewSet,
)

__all__ = [
    "AffectedAssetViewSet",
    "AlertSourceViewSet",
    "EventViewSet",
    "EvidenceViewSet",
    "IncidentRelationViewSet",
    "IncidentViewSet",
    "IndicatorViewSet",
    "MailDeliveryViewSet",
    "MailMessageViewSet",
    "ReportViewSet",
    "TaskViewSet",
    "TimelineViewSet",
]
