"""The escalation API: why a level is recommended, facts that move it, trend, configuration."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.pagination import OldestFirstPagination
from incidents import access
from incidents import selectors as incident_selectors
from incidents.api.views.base import INCIDENT_REF, errors
from incidents.models import Incident
from risklevels import selectors
from risklevels.api import serializers as s
from risklevels.models import ChecklistTemplate, LevelDefinition, TrendPoint
from risklevels.services import facts, levels, setup


def _summary(incident: Incident) -> dict:
    incident.refresh_from_db()
    return {**selectors.escalation_summary(incident), "history": selectors.level_history(incident)}


def _require_configurer(request: Request) -> None:
    access.require(access.can_manage_intake(request.user), "configure the escalation model")


@extend_schema(parameters=[INCIDENT_REF])
class EscalationView(APIView):
    @extend_schema(responses={200: s.EscalationSerializer, **errors(404)})
    def get(self, request: Request, incident_ref: str) -> Response:
        """The level, the recommended level and why (rule ids explained), and the history."""
        incident = incident_selectors.incident_get(user=request.user, ref=incident_ref)
        return Response(s.EscalationSerializer(_summary(incident)).data)


@extend_schema(parameters=[INCIDENT_REF])
class FactView(APIView):
    @extend_schema(
        request=s.FactInputSerializer,
        responses={200: s.EscalationSerializer, **errors(400, 403, 404)},
    )
    def post(self, request: Request, incident_ref: str) -> Response:
        """Record a fact; the answer already carries the new recommendation and its reasons."""
        incident = incident_selectors.incident_get(user=request.user, ref=incident_ref)
        body = s.FactInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        facts.fact_record(incident=incident, actor=request.user, **body.validated_data)
        return Response(s.EscalationSerializer(_summary(incident)).data)


@extend_schema(parameters=[INCIDENT_REF])
class LowerLevelView(APIView):
    @extend_schema(request=s.LowerLevelSerializer, responses={201: None, **errors(400, 403, 404)})
    def post(self, request: Request, incident_ref: str) -> Response:
        """Ask to lower the level: opens a DEESCALATE_LEVEL decision (rule L-D)."""
        incident = incident_selectors.incident_get(user=request.user, ref=incident_ref)
        access.require(access.can_transition(request.user), "request a lower level")
        body = s.LowerLevelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decision = levels.level_lower_request(
            incident=incident, actor=request.user, **body.validated_data
        )
        return Response({"decision": decision.pk}, status=201)


@extend_schema(parameters=[INCIDENT_REF])
class TrendViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The infection trend: effective / confirmed / isolated counts after each change."""

    serializer_class = s.TrendPointSerializer
    pagination_class = OldestFirstPagination
    queryset = TrendPoint.objects.none()  # for the schema; the real one is per incident

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        incident = incident_selectors.incident_get(
            user=self.request.user, ref=self.kwargs["incident_ref"]
        )
        return selectors.trend_of(incident)


class EscalationParamsView(APIView):
    @extend_schema(responses={200: s.EscalationParamsSerializer})
    def get(self, request: Request) -> Response:
        """The parameters in force (§2.4) and their version."""
        params = setup.params_current(organisation=request.user.organisation)
        return Response(s.EscalationParamsSerializer(params).data)

    @extend_schema(
        request=s.EscalationParamsSerializer,
        responses={201: s.EscalationParamsSerializer, **errors(400, 403)},
    )
    def post(self, request: Request) -> Response:
        """Write a new version; earlier evaluations keep the version they used."""
        _require_configurer(request)
        body = s.EscalationParamsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        params = setup.params_update(
            organisation=request.user.organisation,
            actor=request.user,
            values=dict(body.validated_data),
        )
        return Response(s.EscalationParamsSerializer(params).data, status=201)


class LevelDefinitionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The three levels as the organisation describes them (seeded from the source document)."""

    serializer_class = s.LevelDefinitionSerializer
    pagination_class = None
    http_method_names = ["get", "patch", "head", "options"]
    queryset = LevelDefinition.objects.none()

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        setup.levels_seed(organisation=self.request.user.organisation)
        return selectors.level_definitions(self.request.user.organisation)

    def perform_update(self, serializer) -> None:  # type: ignore[no-untyped-def]
        _require_configurer(self.request)
        serializer.save()


class ChecklistTemplateViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Checklist items per level and track; later level entries use the edited list."""

    serializer_class = s.ChecklistTemplateSerializer
    pagination_class = None
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = ChecklistTemplate.objects.none()

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        setup.levels_seed(organisation=self.request.user.organisation)
        return selectors.checklist_templates(self.request.user.organisation)

    def perform_create(self, serializer) -> None:  # type: ignore[no-untyped-def]
        _require_configurer(self.request)
        template = ChecklistTemplate(
            organisation=self.request.user.organisation, **serializer.validated_data
        )
        serializer.instance = setup.checklist_template_save(
            template=template, actor=self.request.user
        )

    def perform_update(self, serializer) -> None:  # type: ignore[no-untyped-def]
        _require_configurer(self.request)
        template = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(template, name, value)
        setup.checklist_template_save(template=template, actor=self.request.user)
