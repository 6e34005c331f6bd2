"""The incident API (/api/v1/): thin viewsets. Reads go through selectors, writes through services.

Every object lookup is a visibility-filtered selector, so an object the user may not see is a
404; commands are POST actions with their own serializer and return the changed resource.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, renderers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from common.errors import Forbidden
from common.pagination import OldestFirstPagination, TimelinePagination
from incidents import access, selectors
from incidents.api import serializers as s
from incidents.api.filters import EventFilter, IncidentFilter, ReportFilter, WhitelistOrdering
from incidents.api.idempotency import HEADER, idempotent
from incidents.api.permissions import API_PERMISSIONS
from incidents.models import (
    AffectedAsset,
    EvidenceItem,
    Incident,
    Indicator,
    MailDelivery,
    Task,
    TimelineEntry,
)
from incidents.services import (
    assets,
    evidence,
    indicators,
    intake,
    mail,
    records,
    tasks,
    timeline,
    triage,
)

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description=_("Invalid input")),
    403: OpenApiResponse(s.ErrorSerializer, description=_("Not allowed")),
    404: OpenApiResponse(s.ErrorSerializer, description=_("Not found or not visible")),
    409: OpenApiResponse(s.ErrorSerializer, description=_("Conflicts with the current state")),
}
INCIDENT_REF = OpenApiParameter(
    "incident_ref", str, OpenApiParameter.PATH, description=_("Incident reference, INC-YYYY-NNNN")
)


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


class ApiViewSet(GenericViewSet):
    permission_classes = API_PERMISSIONS
    action_policy: dict[str, Any] = {}


# --- Reports ------------------------------------------------------------------------------------


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Reports (受付). A reporter sees their own; the ISMS office and incident viewers see all."""

    serializer_class = s.ReportSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filter_backends = [DjangoFilterBackend, WhitelistOrdering]
    filterset_class = ReportFilter
    ordering_choices = {
        "-received_at": ("-received_at", "-id"),
        "received_at": ("received_at", "id"),
    }
    ordering_default = "-received_at"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.reports_visible_to(self.request.user)

    @extend_schema(
        request={
            "application/json": s.ReportCreateSerializer,
            "multipart/form-data": s.ReportCreateSerializer,
        },
        parameters=[
            OpenApiParameter(
                HEADER,
                str,
                OpenApiParameter.HEADER,
                description=_("Retries with the same key and body get the first response."),
            )
        ],
        responses={201: s.ReportSerializer, **errors(400, 403, 409)},
    )
    def create(self, request: Request) -> Response:
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        serializer = s.ReportCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        organisation = request.user.organisation
        if organisation is None:
            raise Forbidden("no_organisation", _("Your account belongs to no organisation."))
        report = intake.report_submit(
            organisation=organisation,
            actor=request.user,
            data=serializer.to_input(),
            eml=serializer.validated_data.get("eml"),
        )
        return Response(s.ReportSerializer(report).data, status=status.HTTP_201_CREATED)


# --- Triage queue -------------------------------------------------------------------------------


class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The triage queue of the ISMS office: waiting items and how they were triaged."""

    filter_backends = [DjangoFilterBackend, WhitelistOrdering]
    filterset_class = EventFilter
    ordering_choices = {
        "received_at": ("received_at", "id"),
        "-received_at": ("-received_at", "-id"),
    }
    ordering_default = "received_at"
    action_policy = {
        "promote": access.can_triage,
        "attach": access.can_triage,
        "close": access.can_triage,
    }

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if self.action == "list":
            return selectors.events_visible_to(self.request.user)
        return selectors.event_detail(self.request.user)

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return s.EventSerializer if self.action == "list" else s.EventDetailSerializer

    def _incident(self, incident: Incident) -> dict[str, Any]:
        return s.IncidentSerializer(
            selectors.incident_get(user=self.request.user, ref=incident.ref)
        ).data

    @extend_schema(
        request=s.EventPromoteSerializer,
        responses={201: s.IncidentSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def promote(self, request: Request, pk: str) -> Response:
        """Accept the item as a new incident; its reports become the incident's."""
        event = self.get_object()
        body = s.EventPromoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incident = triage.event_promote(event=event, actor=request.user, **body.validated_data)
        return Response(self._incident(incident), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.EventAttachSerializer,
        responses={200: s.IncidentSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def attach(self, request: Request, pk: str) -> Response:
        """Accept the item as part of an existing open incident."""
        event = self.get_object()
        body = s.EventAttachSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        incident = triage.event_attach(
            event=event, incident=body.validated_data["incident"], actor=request.user
        )
        return Response(self._incident(incident))

    @extend_schema(
        request=s.EventCloseSerializer,
        responses={200: s.EventSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close without an incident: not an incident, duplicate or transferred."""
        event = self.get_object()
        body = s.EventCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        event = triage.event_close(event=event, actor=request.user, **body.validated_data)
        return Response(s.EventSerializer(event).data)


# --- Incidents ----------------------------------------------------------------------------------


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Incidents by reference. Status moves only by ``transition``; the level only by decision."""

    lookup_field = "ref"
    filter_backends = [DjangoFilterBackend, WhitelistOrdering]
    filterset_class = IncidentFilter
    ordering_choices = {
        "-declared_at": ("-declared_at", "-id"),
        "declared_at": ("declared_at", "id"),
    }
    ordering_default = "-declared_at"
    action_policy = {
        "partial_update": access.can_edit_incidents,
        "assign": access.can_edit_incidents,
        "transition": access.can_transition,
    }

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if self.action == "list":
            return selectors.incident_list(self.request.user)
        return selectors.incident_detail(self.request.user)

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return s.IncidentListSerializer if self.action == "list" else s.IncidentSerializer

    def _fresh(self, incident: Incident) -> Response:
        return Response(s.IncidentSerializer(self.get_queryset().get(pk=incident.pk)).data)

    @extend_schema(
        request=s.IncidentUpdateSerializer,
        responses={200: s.IncidentSerializer, **errors(400, 403, 404)},
    )
    def partial_update(self, request: Request, ref: str) -> Response:
        """Change descriptive fields; ``status`` and ``level`` are refused (field_not_editable)."""
        incident = self.get_object()
        body = s.IncidentUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        records.incident_update(
            incident=incident, actor=request.user, changes=dict(body.validated_data)
        )
        return self._fresh(incident)

    @extend_schema(
        request=s.IncidentTransitionSerializer,
        responses={200: s.IncidentSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, ref: str) -> Response:
        """Move along the lifecycle; a failed guard answers 409 with the guard's code."""
        incident = self.get_object()
        body = s.IncidentTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        records.incident_transition(
            incident=incident, target=body.validated_data["target"], actor=request.user
        )
        return self._fresh(incident)

    @extend_schema(
        request=s.IncidentAssignSerializer,
        responses={200: s.IncidentSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, ref: str) -> Response:
        """Set the CSIRT lead and/or the handlers (people of the organisation)."""
        incident = self.get_object()
        body = s.IncidentAssignSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        records.incident_assign(incident=incident, actor=request.user, **body.validated_data)
        return self._fresh(incident)


# --- Children of an incident --------------------------------------------------------------------


@extend_schema(parameters=[INCIDENT_REF])
class IncidentChildViewSet(ApiViewSet):
    """Base of /incidents/{ref}/…: the parent is looked up (404 if unseen) before anything."""

    pagination_class = OldestFirstPagination
    parser_classes = [JSONParser]
    action_policy = {
        "create": access.can_edit_incidents,
        "partial_update": access.can_edit_incidents,
    }

    def get_incident(self) -> Incident:
        if not hasattr(self, "_incident"):
            self._incident = selectors.incident_get(
                user=self.request.user, ref=self.kwargs["incident_ref"]
            )
        return self._incident

    def created(self, data: dict[str, Any]) -> Response:
        return Response(data, status=status.HTTP_201_CREATED)


class AffectedAssetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IncidentChildViewSet):
    """Terminals and servers involved: infection, isolation, remediation."""

    queryset = AffectedAsset.objects.none()  # the model, for the schema; rows come from below
    serializer_class = s.AffectedAssetSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.affected_assets_of(self.get_incident())

    @extend_schema(
        request=s.AffectedAssetCreateSerializer,
        responses={201: s.AffectedAssetSerializer, **errors(400, 403, 404, 409)},
    )
    def create(self, request: Request, incident_ref: str) -> Response:
        """Record a terminal by asset tag (added to the inventory if unknown)."""
        incident = self.get_incident()
        body = s.AffectedAssetCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        asset_fields, fields = body.split()
        with transaction.atomic():  # the inventory row goes if the involvement is refused
            asset = assets.asset_upsert(organisation_id=incident.organisation_id, **asset_fields)
            affected = assets.affected_asset_add(
                incident=incident, actor=request.user, asset=asset, **fields
            )
        return self.created(s.AffectedAssetSerializer(affected).data)

    @extend_schema(
        request=s.AffectedAssetUpdateSerializer,
        responses={200: s.AffectedAssetSerializer, **errors(400, 403, 404)},
    )
    def partial_update(self, request: Request, incident_ref: str, pk: str) -> Response:
        affected = self.get_object()
        body = s.AffectedAssetUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        affected = assets.affected_asset_update(
            affected=affected, actor=request.user, changes=dict(body.validated_data)
        )
        return Response(s.AffectedAssetSerializer(affected).data)


class MailDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IncidentChildViewSet):
    """Who received the campaign's mail and what they did with it."""

    queryset = MailDelivery.objects.none()
    serializer_class = s.MailDeliverySerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.deliveries_of(self.get_incident())

    @extend_schema(
        request=s.MailDeliveryCreateSerializer,
        responses={201: s.MailDeliverySerializer, **errors(400, 403, 404)},
    )
    def create(self, request: Request, incident_ref: str) -> Response:
        incident = self.get_incident()
        body = s.MailDeliveryCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        delivery = mail.delivery_add(incident=incident, actor=request.user, **body.validated_data)
        return self.created(s.MailDeliverySerializer(delivery).data)

    @extend_schema(
        request=s.MailDeliveryUpdateSerializer,
        responses={200: s.MailDeliverySerializer, **errors(400, 403, 404)},
    )
    def partial_update(self, request: Request, incident_ref: str, pk: str) -> Response:
        delivery = self.get_object()
        body = s.MailDeliveryUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        delivery = mail.delivery_update(
            delivery=delivery, actor=request.user, changes=dict(body.validated_data)
        )
        return Response(s.MailDeliverySerializer(delivery).data)


class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IncidentChildViewSet):
    """Indicators of compromise; ``block`` records where and when one was blocked."""

    queryset = Indicator.objects.none()
    serializer_class = s.IndicatorSerializer
    action_policy = {**IncidentChildViewSet.action_policy, "block": access.can_edit_incidents}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.indicators_of(self.get_incident())

    @extend_schema(
        request=s.IndicatorCreateSerializer,
        responses={201: s.IndicatorSerializer, **errors(400, 403, 404, 409)},
    )
    def create(self, request: Request, incident_ref: str) -> Response:
        incident = self.get_incident()
        body = s.IndicatorCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        indicator = indicators.indicator_add(
            incident=incident, actor=request.user, **body.validated_data
        )
        return self.created(s.IndicatorSerializer(indicator).data)

    @extend_schema(
        request=s.IndicatorBlockSerializer,
        responses={200: s.IndicatorSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def block(self, request: Request, incident_ref: str, pk: str) -> Response:
        indicator = self.get_object()
        body = s.IndicatorBlockSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        indicator = indicators.indicator_block(
            indicator=indicator, actor=request.user, **body.validated_data
        )
        return Response(s.IndicatorSerializer(indicator).data)


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IncidentChildViewSet):
    """The incident's tasks; ``finish`` completes or waives one (editors or its owner)."""

    queryset = Task.objects.none()
    serializer_class = s.TaskSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.tasks_of(self.get_incident())

    @extend_schema(
        request=s.TaskCreateSerializer,
        responses={201: s.TaskSerializer, **errors(400, 403, 404)},
    )
    def create(self, request: Request, incident_ref: str) -> Response:
        incident = self.get_incident()
        body = s.TaskCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        task = tasks.task_create(incident=incident, actor=request.user, **body.validated_data)
        return self.created(s.TaskSerializer(task).data)

    @extend_schema(
        request=s.TaskFinishSerializer,
        responses={200: s.TaskSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def finish(self, request: Request, incident_ref: str, pk: str) -> Response:
        task = self.get_object()
        body = s.TaskFinishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = tasks.task_finish(task=task, actor=request.user, **body.validated_data)
        return Response(s.TaskSerializer(task).data)


class AttachmentRenderer(renderers.BaseRenderer):
    """Lets a client ask for the file with ``Accept: application/octet-stream``."""

    media_type = "application/octet-stream"
    format = "bin"
    charset = None

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):  # type: ignore[no-untyped-def]
        return json.dumps(data, default=str).encode()  # only errors reach a renderer


class EvidenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IncidentChildViewSet):
    """Evidence files with SHA-256 and chain of custody; files are served only as attachments."""

    queryset = EvidenceItem.objects.none()
    serializer_class = s.EvidenceSerializer
    parser_classes = [MultiPartParser, JSONParser]
    action_policy = {**IncidentChildViewSet.action_policy, "custody": access.can_edit_incidents}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.evidence_of(self.get_incident())

    @extend_schema(
        request={"multipart/form-data": s.EvidenceUploadSerializer},
        responses={
            201: s.EvidenceSerializer,
            413: OpenApiResponse(s.ErrorSerializer, description=_("File too large")),
            **errors(400, 403, 404),
        },
    )
    def create(self, request: Request, incident_ref: str) -> Response:
        """Upload (multipart, field ``file``); stored under a server-generated name."""
        incident = self.get_incident()
        body = s.EvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        item = evidence.evidence_upload(
            incident=incident,
            actor=request.user,
            upload=data["file"],
            kind=data["kind"],
            description=data["description"],
        )
        return self.created(s.EvidenceSerializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **errors(404)}
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer, AttachmentRenderer],
    )
    def download(self, request: Request, incident_ref: str, pk: str) -> FileResponse:
        """The file, always as an attachment of type application/octet-stream."""
        return attachment_response(self.get_object())

    @extend_schema(
        request=s.CustodyRecordSerializer,
        responses={201: s.CustodyEventSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def custody(self, request: Request, incident_ref: str, pk: str) -> Response:
        """Record a chain-of-custody event: collected, transferred, stored, returned."""
        item = self.get_object()
        body = s.CustodyRecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        event = evidence.custody_record(evidence=item, actor=request.user, **body.validated_data)
        return self.created(s.CustodyEventSerializer(event).data)


def safe_filename(name: str, fallback: str) -> str:
    """The last path segment, printable, no quotes: never a path, never a header injection."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in "\"';").strip(" .")
    return base[:150] or fallback


def attachment_response(item: EvidenceItem) -> FileResponse:
    # Whatever the file claims to be (HTML, SVG …), the browser must only ever save it.
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=safe_filename(item.original_name, f"evidence-{item.pk}"),
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Timeline -----------------------------------------------------------------------------------


class TimelineViewSet(mixins.ListModelMixin, IncidentChildViewSet):
    """The append-only, hash-chained timeline of the incident."""

    queryset = TimelineEntry.objects.none()
    serializer_class = s.TimelineEntrySerializer
    pagination_class = TimelinePagination

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.timeline_of(self.get_incident())

    @extend_schema(responses={200: s.TimelineVerifySerializer, **errors(404)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def verify(self, request: Request, incident_ref: str) -> Response:
        """Walk the hash chain; ``first_broken_seq`` names the first entry that does not match."""
        result = timeline.timeline_verify(incident=self.get_incident())
        return Response(
            s.TimelineVerifySerializer(
                {
                    "ok": result.ok,
                    "entries": result.entries,
                    "first_broken_seq": result.first_broken_seq,
                    "reason": result.reason,
                }
            ).data
        )
