"""Shared pieces of the incident API views: the base viewsets and the error responses."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from common.pagination import OldestFirstPagination
from common.parsers import JSONParser
from incidents import access, selectors
from incidents.api import serializers as s
from incidents.api.permissions import API_PERMISSIONS
from incidents.models import Incident

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
