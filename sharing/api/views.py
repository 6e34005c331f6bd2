"""POST /api/v1/incidents/{ref}/stix-export/ and …/misp-export/: the STIX 2.1 bundle or the
MISP event of an incident for a recipient class."""

from __future__ import annotations

import json

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.columns import NOTHING, ends_in
from common.parsers import JSONParser
from comms import access as comms_access
from incidents import access, selectors
from incidents.api.permissions import API_PERMISSIONS
from incidents.api.views.base import errors
from sharing import imports, services
from sharing.intel import parse
from sharing.models import IntelFormat
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


class IntelImportRequestSerializer(serializers.Serializer):
    stores = ends_in(nowhere=("file",), source="sharing.ThreatIntelItem.source")

    file = serializers.FileField(help_text="A STIX 2.1 bundle or a MISP event (JSON).")
    source = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Who sent it (e.g. JPCERT/CC); empty: the name the file gives.",
    )


class IntelImportSerializer(serializers.Serializer):
    stores = NOTHING  # output

    format = serializers.ChoiceField(choices=IntelFormat.choices)
    created = serializers.IntegerField(help_text="New threat-intelligence items.")
    updated = serializers.IntegerField(help_text="Items of which a newer version arrived.")
    unchanged = serializers.IntegerField(help_text="Items already held in this version.")
    items = serializers.ListField(child=serializers.IntegerField())


class IntelImportView(APIView):
    """Import threat intelligence (issue 22): each indicator kept with its TLP (from the TLP 2.0
    marking or the MISP tlp: tag / distribution), source and validity; re-importing the same
    version changes nothing. The retro-hunt then opens one triage item per match. A file that
    cannot be used is a 400 (intel_not_json, intel_wrong_spec_version, intel_too_large,
    intel_too_deep, intel_unknown_format, intel_no_usable_objects) and nothing is stored."""

    permission_classes = API_PERMISSIONS
    parser_classes = [MultiPartParser]
    detail = True  # the permission is the view's own check (imports.can_import)

    @extend_schema(
        request={"multipart/form-data": IntelImportRequestSerializer},
        responses={200: IntelImportSerializer, **errors(400, 403)},
    )
    def post(self, request: Request) -> Response:
        access.require(imports.can_import(request.user), "import threat intelligence")
        body = IntelImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        result = imports.intel_import(
            organisation=request.user.organisation,
            actor=request.user,
            raw=upload.read(parse.max_bytes() + 1),
            label=body.validated_data.get("source", ""),
        )
        return Response(
            {
                "format": result.source_format,
                "created": len(result.created),
                "updated": len(result.updated),
                "unchanged": len(result.unchanged),
                "items": result.item_ids,
            }
        )
