"""The records API: the incident report as a PDF and the organisation's newest emergency kit
as a PDF, for the callers the pages allow (thin: the pages' permissions, services and PDFs)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import renderers, serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from common.columns import NOTHING
from comms.services.guests import is_guest
from incidents import selectors as incident_selectors
from incidents.api.views.base import INCIDENT_REF, errors
from incidents.models.enums import Tlp
from records import report, services
from records.pdf import render_pdf
from records.views import PDF, _kit_context, _kit_reader, _latest, _report_context

PDF_RESPONSE = {(200, PDF): OpenApiTypes.BINARY}


class PdfRenderer(renderers.BaseRenderer):
    """Lets a client ask for the file with ``Accept: application/pdf``."""

    media_type = PDF
    format = "pdf"
    charset = None

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict[str, Any] | None = None,
    ) -> bytes:
        return data if isinstance(data, bytes) else b""


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ReportPdfRequest(serializers.Serializer):
    stores = NOTHING  # a choice, kept as the code in the download's timeline entry
    tlp = serializers.ChoiceField(choices=Tlp.choices, required=False, allow_blank=True)


@extend_schema(tags=["records"], parameters=[INCIDENT_REF])
class IncidentReportPdfView(APIView):
    renderer_classes = [renderers.JSONRenderer, PdfRenderer]

    @extend_schema(request=ReportPdfRequest, responses={**PDF_RESPONSE, **errors(400, 403, 404)})
    def post(self, request: Request, incident_ref: str) -> HttpResponse:
        """The incident report (A4 PDF, in the caller's language), indicators up to the chosen
        TLP (the incident's own TLP when none is given); written on the incident's timeline
        first, so the head hash on its last page is the one the chain check reports."""
        if is_guest(request.user):
            raise Http404
        incident = incident_selectors.incident_get(user=request.user, ref=incident_ref)
        body = ReportPdfRequest(data=request.data)
        body.is_valid(raise_exception=True)
        tlp = report.tlp_ceiling(incident, body.validated_data.get("tlp") or None)
        language = translation.get_language() or "ja"
        services.report_download_record(
            incident=incident, actor=request.user, tlp=tlp, language=language
        )
        data = render_pdf("records/report_pdf.html", _report_context(incident, tlp))
        return _pdf(data, f"{incident.ref}-report.pdf")


@extend_schema(tags=["records"])
class EmergencyKitPdfView(APIView):
    renderer_classes = [renderers.JSONRenderer, PdfRenderer]

    @extend_schema(
        responses={
            **PDF_RESPONSE,
            **errors(404),
        },
        description="The newest version of the organisation's offline emergency kit (A4 PDF).",
    )
    def get(self, request: Request) -> HttpResponse:
        """The newest emergency kit as a PDF, for whoever may see the roster; 404 before the
        first version is made."""
        _kit_reader(request.user)
        kit = _latest(request.user)
        if kit is None:
            raise Http404
        data = render_pdf("records/kit_pdf.html", _kit_context(request, kit))
        return _pdf(data, f"emergency-kit-v{kit.version}.pdf")
