"""The post-incident review, corrective actions and the Annex A catalogue over /api/v1/. Reads go
through isms.selectors (what a user may not see is 404); every write calls one service."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common import clock
from common.pagination import KeysetPagination
from common.parsers import JSONParser
from incidents import selectors as incident_selectors
from incidents.api.permissions import API_PERMISSIONS
from incidents.api.views.base import INCIDENT_REF, ApiViewSet, errors
from isms import access, selectors
from isms.api import serializers as s
from isms.models import AnnexAControl, CorrectiveAction
from isms.services import actions, reviews


class DueFirstPagination(KeysetPagination):
    ordering = ("due_on", "id")


class CatalogueOrder(KeysetPagination):
    page_size = 100
    ordering = ("theme", "number")


@extend_schema(tags=["isms"])
class AnnexAControlViewSet(mixins.ListModelMixin, ApiViewSet):
    """ISO/IEC 27001:2022 Annex A: the 93 controls corrective actions and reviews name."""

    queryset = AnnexAControl.objects.none()
    serializer_class = s.AnnexAControlSerializer
    pagination_class = CatalogueOrder

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.controls()


@extend_schema(tags=["isms"], parameters=[INCIDENT_REF])
class ReviewView(APIView):
    """The incident's post-incident review (A.5.27): root cause, what worked and what did not,
    lessons or an explicit "no lessons", the Annex A controls affected, and (M-1) why no
    corrective action is needed. ``complete`` is what closing (C-1) checks."""

    permission_classes = API_PERMISSIONS
    parser_classes = [JSONParser]
    detail = True  # the incident's visibility (404) and the service (403) decide

    @extend_schema(responses={200: s.PostIncidentReviewSerializer, **errors(404)})
    def get(self, request: Request, incident_ref: str) -> Response:
        incident = incident_selectors.incident_get(user=request.user, ref=incident_ref)
        review = selectors.review_of(incident)
        if review is None:
            return Response(
                {"code": "not_found", "message": "No review yet.", "details": {}}, status=404
            )
        return Response(s.PostIncidentReviewSerializer(review).data)

    @extend_schema(
        request=s.PostIncidentReviewWriteSerializer,
        responses={200: s.PostIncidentReviewSerializer, **errors(400, 403, 404, 409)},
    )
    def put(self, request: Request, incident_ref: str) -> Response:
        """Write the whole review (409 INCIDENT_CLOSED once the incident is closed)."""
        incident = incident_selectors.incident_get(user=request.user, ref=incident_ref)
        body = s.PostIncidentReviewWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reviews.review_save(incident=incident, actor=request.user, **body.validated_data)
        return Response(s.PostIncidentReviewSerializer(selectors.review_of(incident)).data)


VIEW = OpenApiParameter(
    "view", str, enum=list(selectors.VIEWS), description="open (default), overdue or all"
)
CONTROL = OpenApiParameter("control", str, description="Annex A control id, e.g. 8.7")


@extend_schema(tags=["isms"])
class CorrectiveActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Corrective actions (ISO/IEC 27001 cl. 10.2) born of incidents, each with its Annex A
    controls and risk-register entry (M-2); listed soonest due first."""

    queryset = CorrectiveAction.objects.none()
    serializer_class = s.CorrectiveActionSerializer
    pagination_class = DueFirstPagination
    parser_classes = [JSONParser]
    action_policy = {
        "create": access.can_write,
        "partial_update": access.can_write,
    }

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if self.action != "list":
            return selectors.corrective_action_list(
                user=self.request.user, view=selectors.ALL, today=clock.now().date()
            )
        view = self.request.query_params.get("view", selectors.OPEN)
        return selectors.corrective_action_list(
            user=self.request.user,
            view=view if view in selectors.VIEWS else selectors.OPEN,
            today=clock.now().date(),
            control=self.request.query_params.get("control", ""),
        )

    @extend_schema(parameters=[VIEW, CONTROL])
    def list(self, request: Request) -> Response:
        return super().list(request)

    def _fresh(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.corrective_action_get(user=self.request.user, pk=pk)
        return Response(s.CorrectiveActionSerializer(fresh).data, status=code)

    @extend_schema(
        request=s.CorrectiveActionCreateSerializer,
        responses={201: s.CorrectiveActionSerializer, **errors(400, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        """Record an action on an incident: at least one control (400 CONTROLS_REQUIRED) and
        the risk-register entry (400 RISK_REFERENCE_REQUIRED), rule M-2."""
        body = s.CorrectiveActionCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        incident = incident_selectors.incident_get(user=request.user, ref=data.pop("incident"))
        created = actions.corrective_action_create(incident=incident, actor=request.user, **data)
        return self._fresh(created.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.CorrectiveActionUpdateSerializer,
        responses={200: s.CorrectiveActionSerializer, **errors(400, 403, 404)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the title, owner, due date, controls or risk reference."""
        target = self.get_object()
        body = s.CorrectiveActionUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        body.is_valid(raise_exception=True)
        actions.corrective_action_update(
            action=target, actor=request.user, changes=dict(body.validated_data)
        )
        return self._fresh(target.pk)

    @extend_schema(
        request=s.CorrectiveActionStatusSerializer,
        responses={200: s.CorrectiveActionSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str) -> Response:
        """DONE (the owner may), CANCELLED with a reason (400 REASON_REQUIRED), or OPEN again."""
        target = self.get_object()
        body = s.CorrectiveActionStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.corrective_action_set_status(
            action=target, actor=request.user, **body.validated_data
        )
        return self._fresh(target.pk)
