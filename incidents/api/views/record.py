"""/incidents/{ref}/…: affected assets, mail deliveries, indicators, tasks, evidence, timeline."""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, renderers
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from common.pagination import TimelinePagination
from common.parsers import JSONParser
from incidents import access, correlation, selectors
from incidents.api import serializers as s
from incidents.api.views.base import IncidentChildViewSet, errors
from incidents.api.views.files import AttachmentRenderer, attachment_response
from incidents.models import (
    AffectedAsset,
    EvidenceItem,
    Indicator,
    MailDelivery,
    Task,
    TimelineEntry,
)
from incidents.services import assets, evidence, indicators, mail, tasks, timeline


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
        changes = dict(body.validated_data)
        observed_at = changes.pop("observed_at", None)
        affected = assets.affected_asset_update(
            affected=affected, actor=request.user, changes=changes, observed_at=observed_at
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

    def _seen(self, rows: list[Indicator]) -> list[Indicator]:
        return correlation.annotate_indicators(self.request.user, self.get_incident(), rows)

    def paginate_queryset(self, queryset):  # type: ignore[no-untyped-def]
        page = super().paginate_queryset(queryset)
        return None if page is None else self._seen(list(page))

    def get_object(self) -> Indicator:
        return self._seen([super().get_object()])[0]

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
        return self.created(s.IndicatorSerializer(self._seen([indicator])[0]).data)

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
        return Response(s.IndicatorSerializer(self._seen([indicator])[0]).data)


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
        """Walk the keyed hash chain and compare it with the last signed checkpoint.

        ``first_broken_seq`` names the first entry that fails, ``check`` which check it failed.
        """
        result = timeline.timeline_verify(incident=self.get_incident())
        return Response(s.TimelineVerifySerializer(asdict(result)).data)
