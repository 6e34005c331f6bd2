"""Reports (intake, with Idempotency-Key) and the triage queue."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from common.errors import Forbidden
from common.parsers import JSONParser
from incidents import access, selectors
from incidents.api import serializers as s
from incidents.api.filters import EventFilter, ReportFilter, WhitelistOrdering
from incidents.api.idempotency import HEADER, idempotent
from incidents.api.views.base import ApiViewSet, errors
from incidents.models import Incident
from incidents.services import intake, triage

# --- Reports ------------------------------------------------------------------------------------

# One serializer for every intake answer (issue 20: its fields bound once per process, not per
# report): it only reads, has no context, and keeps nothing of the report it writes.
_answer = s.ReportSerializer()


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
        return Response(_answer.to_representation(report), status=status.HTTP_201_CREATED)


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
            event=event,
            incident=body.validated_data["incident"],
            actor=request.user,
            new_message=body.validated_data["new_message"],
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
