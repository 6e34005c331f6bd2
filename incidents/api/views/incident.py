"""Incidents by reference: list, detail, PATCH of descriptive fields, and commands."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from incidents import access, facts, selectors
from incidents.api import serializers as s
from incidents.api.filters import IncidentFilter, WhitelistOrdering
from incidents.api.views.base import ApiViewSet, errors
from incidents.models import Incident
from incidents.services import records, transitions


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "exercise",
                bool,
                description="true: the exercise incidents instead of the real ones (issue 18).",
            )
        ]
    )
)
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
            # Real incidents only; ``?exercise=true`` lists the exercise incidents (issue 18).
            exercise = self.request.query_params.get("exercise") == "true"
            return facts.with_counters(
                selectors.incident_list(self.request.user, exercise=exercise)
            )
        return facts.with_counters(selectors.incident_detail(self.request.user))

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
        body = s.IncidentUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
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
        """Move along the lifecycle; a failed guard answers 409 with the guard's code and
        ``details.failed`` (code and sentence of each). Closing (C-1) answers 409
        CLOSE_GUARD_FAILED listing every failing condition; open tasks are waived with
        ``waive_reason`` (400 WAIVE_REASON_REQUIRED without it). Reopening a closed incident
        is the CSIRT lead's, with a ``reason``."""
        incident = self.get_object()
        body = s.IncidentTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        transitions.incident_transition(
            incident=incident, actor=request.user, **body.validated_data
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
