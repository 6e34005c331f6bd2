"""Serializers of the incident API: outputs are read-only; inputs carry only what a client may set.

Fields a client may not set (organisation, reporter, status, level, timestamps of record, the
stored file name) are absent from the input serializers: a create ignores them, a PATCH
rejects them (``field_not_editable``) so that nobody mistakes a PATCH for a status change.
"""

from incidents.api.serializers.campaign import (
    IncidentRelationCreateSerializer,
    IncidentRelationSerializer,
    MailMessageCreateSerializer,
    MailMessageSerializer,
)
from incidents.api.serializers.fields import ErrorSerializer, PersonSerializer
from incidents.api.serializers.incident import (
    IncidentAssignSerializer,
    IncidentListSerializer,
    IncidentSerializer,
    IncidentTransitionSerializer,
    IncidentUpdateSerializer,
)
from incidents.api.serializers.intake import (
    EventAttachSerializer,
    EventCloseSerializer,
    EventDetailSerializer,
    EventPromoteSerializer,
    EventReportSerializer,
    EventSerializer,
    ReportCreateSerializer,
    ReportSerializer,
)
from incidents.api.serializers.record import (
    AffectedAssetCreateSerializer,
    AffectedAssetSerializer,
    AffectedAssetUpdateSerializer,
    AssetSerializer,
    CustodyEventSerializer,
    CustodyRecordSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    IndicatorBlockSerializer,
    IndicatorCreateSerializer,
    IndicatorSerializer,
    MailDeliveryCreateSerializer,
    MailDeliverySerializer,
    MailDeliveryUpdateSerializer,
    TaskCreateSerializer,
    TaskFinishSerializer,
    TaskSerializer,
    TimelineEntrySerializer,
    TimelineVerifySerializer,
)

__all__ = [
    "AffectedAssetCreateSerializer",
    "AffectedAssetSerializer",
    "AffectedAssetUpdateSerializer",
    "AssetSerializer",
    "CustodyEventSerializer",
    "CustodyRecordSerializer",
    "ErrorSerializer",
    "EventAttachSerializer",
    "EventCloseSerializer",
    "EventDetailSerializer",
    "EventPromoteSerializer",
    "EventReportSerializer",
    "EventSerializer",
    "EvidenceSerializer",
    "EvidenceUploadSerializer",
    "IncidentAssignSerializer",
    "IncidentListSerializer",
    "IncidentRelationCreateSerializer",
    "IncidentRelationSerializer",
    "IncidentSerializer",
    "IncidentTransitionSerializer",
    "IncidentUpdateSerializer",
    "IndicatorBlockSerializer",
    "IndicatorCreateSerializer",
    "IndicatorSerializer",
    "MailDeliveryCreateSerializer",
    "MailDeliverySerializer",
    "MailDeliveryUpdateSerializer",
    "MailMessageCreateSerializer",
    "MailMessageSerializer",
    "PersonSerializer",
    "ReportCreateSerializer",
    "ReportSerializer",
    "TaskCreateSerializer",
    "TaskFinishSerializer",
    "TaskSerializer",
    "TimelineEntrySerializer",
    "TimelineVerifySerializer",
]
