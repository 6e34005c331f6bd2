"""POST /api/v1/incidents/{ref}/stix-export/ and …/misp-export/: the STIX 2.1 bundle or the
MISP event of an incident for a recipient class."""

from __future__ import annotations

import json

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.columns import NOTHING
from common.parsers import JSONParser
from comms import access as comms_access
from incidents import access, selectors
from incidents.api.permissions import API_PERMISSIONS
from incidents.api.views.base import errors
from sharing import services
from sharing.tlp import Recipient


class StixExportRequestSerializer(serializers.Serializer):
    stores = NOTHING  # picks the rule; nothing typed is stored

    recipient = serializers.ChoiceField(choices=Recipient.choices)


class StixExportSerializer(serializers.Serializer):
    stores = NOTHING  # output

    bundle = serializers.JSONField(help_text="The STIX 2.1 bundle (TLP 2.0 markings).")
    included = serializers.IntegerField()
    withheld = serializers.IntegerField(help_text="Objects left out because of their TLP.")
    communication = serializers.IntegerField(help_text="The draft communication recording it.")


class StixExportView(APIView):
    """T-2/T-3: the incident's indicators, mail sightings and the incident itself, each only when
    its TLP permits the recipient class; recorded as a communication (N-4)."""

    permission_classes = API_PERMISSIONS
    parser_classes = [JSONParser]
    detail = True

    @extend_schema(
        request=StixExportRequestSerializer,
        responses={200: StixExportSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, incident_ref: str) -> Response:
        incident = selectors.incident_get(user=request.user, ref=incident_ref)
        access.require(comms_access.can_write(request.user), "export STIX bundles")
        body = StixExportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.stix_export(
            incident=incident, actor=request.user, recipient=body.validated_data["recipient"]
        )
        return Response(
            {
                "bundle": json.loads(done.export.bundle),
                "included": done.export.included,
                "withheld": done.export.withheld,
                "communication": done.communication.pk,
            }
        )


class MispExportSerializer(serializers.Serializer):
    stores = NOTHING  # output

    event = serializers.JSONField(help_text="The MISP event (Event with its Attribute list).")
    included = serializers.IntegerField()
    withheld = serializers.IntegerField(help_text="Objects left out because of their TLP.")
    communication = serializers.IntegerField(help_text="The draft communication recording it.")


class MispExportView(APIView):
    """T-2: the incident's indicators as MISP attributes (to_ids, distribution and tlp:* tag
    from their TLP), the incident's words only when its TLP permits; recorded as a
    communication (N-4)."""

    permission_classes = API_PERMISSIONS
    parser_classes = [JSONParser]
    detail = True

    @extend_schema(
        request=StixExportRequestSerializer,
        responses={200: MispExportSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, incident_ref: str) -> Response:
        incident = selectors.incident_get(user=request.user, ref=incident_ref)
        access.require(comms_access.can_write(request.user), "export MISP events")
        body = StixExportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.misp_export(
            incident=incident, actor=request.user, recipient=body.validated_data["recipient"]
        )
        return Response(
            {
                "event": json.loads(done.export.event),
                "included": done.export.included,
                "withheld": done.export.withheld,
                "communication": done.communication.pk,
            }
        )
