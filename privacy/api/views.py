"""Data sets, leak facts, the APPI assessment, obligations and the PPC report over /api/v1/.
Reads go through privacy.selectors (what a user may not see is 404); every write calls one
service."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.pagination import KeysetPagination
from common.parsers import JSONParser
from incidents import selectors as incident_selectors
from incidents.api.permissions import API_PERMISSIONS
from incidents.api.views.base import INCIDENT_REF, ApiViewSet, IncidentChildViewSet, errors
from privacy import access, selectors
from privacy.api import serializers as s
from privacy.enums import ReportVersion
from privacy.models import DataSet, DataSetLeak, Obligation
from privacy.services import appi, datasets, leaks, obligations, ppc


class NameOrder(KeysetPagination):
    ordering = ("name", "id")


class DueFirst(KeysetPagination):
    ordering = ("id",)


@extend_schema(tags=["privacy"])
class DataSetViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, ApiViewSet
):
    """The inventory of personal and confidential data: what each data set holds, how many
    people, and which assets host it and can reach it (rules A-0, L3-a, L3-b, T-1)."""

    queryset = DataSet.objects.none()
    serializer_class = s.DataSetSerializer
    pagination_class = NameOrder
    parser_classes = [JSONParser]
    action_policy = {
        "create": access.can_write_inventory,
        "partial_update": access.can_write_inventory,
        "destroy": access.can_write_inventory,
        "import_csv": access.can_write_inventory,
    }

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.data_sets_of(self.request.user)

    def _fresh(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        found = selectors.data_set_get(user=self.request.user, pk=pk)
        return Response(s.DataSetSerializer(found).data, status=code)

    @extend_schema(
        request=s.DataSetWriteSerializer,
        responses={201: s.DataSetSerializer, **errors(400, 403, 409)},
    )
    def create(self, request: Request) -> Response:
        body = s.DataSetWriteSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        created = datasets.data_set_save(
            organisation_id=request.user.organisation_id,
            actor=request.user,
            **body.validated_data,
        )
        return self._fresh(created.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.DataSetWriteSerializer,
        responses={200: s.DataSetSerializer, **errors(400, 403, 404, 409)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        target = self.get_object()
        body = s.DataSetWriteSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        body.is_valid(raise_exception=True)
        datasets.data_set_save(
            organisation_id=target.organisation_id,
            actor=request.user,
            data_set=target,
            **body.validated_data,
        )
        return self._fresh(target.pk)

    @extend_schema(responses={204: None, **errors(403, 404, 409)})
    def destroy(self, request: Request, pk: str) -> Response:
        """409 DATA_SET_IN_USE when an incident refers to it."""
        datasets.data_set_delete(data_set=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request={"multipart/form-data": s.DataSetImportSerializer},
        responses={200: dict, **errors(400, 403)},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_csv(self, request: Request) -> Response:
        """Create or update data sets by name from a CSV (UTF-8 or Shift_JIS, Japanese or
        English headers, as the export writes them). A file with any problem changes nothing:
        400 ``csv_problems`` lists them per line."""
        body = s.DataSetImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = datasets.data_sets_import(
            organisation_id=request.user.organisation_id,
            actor=request.user,
            data=body.validated_data["file"].read(),
        )
        if result.errors:
            return Response(
                {
                    "code": "csv_problems",
                    "message": str(result.errors[0].message),
                    "details": {"errors": [e.as_dict() for e in result.errors]},
                },
                status=400,
            )
        return Response({"created": result.created, "updated": result.updated})


@extend_schema(tags=["privacy"])
class DataLeakViewSet(mixins.ListModelMixin, IncidentChildViewSet):
    """Leak facts against data sets (A-1 a, d, e): exfiltration suspected, leak confirmed, mail
    misdirected, media lost or stolen, a credible outside notification."""

    queryset = DataSetLeak.objects.none()
    serializer_class = s.DataLeakSerializer
    action_policy = {"create": access.can_record_leaks}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.leaks_of(self.get_incident())

    @extend_schema(
        request=s.DataLeakCreateSerializer,
        responses={201: s.DataLeakSerializer, **errors(400, 403, 404)},
    )
    def create(self, request: Request, incident_ref: str) -> Response:
        incident = self.get_incident()
        body = s.DataLeakCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data_set = selectors.data_sets_of(request.user).filter(pk=data.pop("data_set")).first()
        if data_set is None:
            return Response(
                {"code": "not_found", "message": "No such data set.", "details": {}},
                status=400,
            )
        leak = leaks.data_leak_record(
            incident=incident, actor=request.user, data_set=data_set, **data
        )
        return self.created(s.DataLeakSerializer(leak).data)


@extend_schema(tags=["privacy"], parameters=[INCIDENT_REF])
class AppiAssessmentView(APIView):
    """The incident's APPI assessment: screening (A-0), status, aware_at (A-1, A-7),
    categories (A-2), exemption (A-3) and the warning of A-5."""

    permission_classes = API_PERMISSIONS
    parser_classes = [JSONParser]
    detail = True  # the incident's visibility (404) and the service (403) decide

    @extend_schema(responses={200: s.AppiAssessmentSerializer, **errors(404)})
    def get(self, request: Request, incident_ref: str) -> Response:
        incident = incident_selectors.incident_get(user=request.user, ref=incident_ref)
        return Response(s.AppiAssessmentSerializer(appi.assessment_of(incident)).data)

    @extend_schema(
        request=s.AppiAssessmentUpdateSerializer,
        responses={200: s.AppiAssessmentSerializer, **errors(400, 403, 404)},
    )
    def patch(self, request: Request, incident_ref: str) -> Response:
        """Legal sets the cause (the categories and the final report's date follow, A-5) or
        the report form."""
        incident = incident_selectors.incident_get(user=request.user, ref=incident_ref)
        body = s.AppiAssessmentUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = appi.assessment_update(
            incident=incident, actor=request.user, **body.validated_data
        )
        return Response(s.AppiAssessmentSerializer(assessment).data)


VIEW = OpenApiParameter(
    "view", str, enum=list(selectors.VIEWS), description="open (default), overdue, mine or all"
)


@extend_schema(tags=["privacy"])
class ObligationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Legal, contractual and internal clocks of the incidents the user sees (PPC 速報 and 確報,
    individual notice, police, IPA …): OPEN, DONE with the reference number, or WAIVED with the
    reason. C-1: an incident closes only when none is OPEN."""

    queryset = Obligation.objects.none()
    serializer_class = s.ObligationSerializer
    pagination_class = DueFirst
    parser_classes = [JSONParser]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        view = self.request.query_params.get("view", selectors.OPEN)
        if self.action != "list":  # one obligation by id, real or an exercise's
            return selectors.obligation_list(
                user=self.request.user, view=selectors.ALL, exercise=None
            )
        return selectors.obligation_list(
            user=self.request.user, view=view if view in selectors.VIEWS else selectors.OPEN
        )

    @extend_schema(parameters=[VIEW])
    def list(self, request: Request) -> Response:
        return super().list(request)

    def _fresh(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        found = selectors.obligation_get(user=self.request.user, pk=pk)
        return Response(s.ObligationSerializer(found).data, status=code)

    @extend_schema(
        request=s.ObligationCreateSerializer,
        responses={201: s.ObligationSerializer, **errors(400, 403, 404, 409)},
    )
    def create(self, request: Request) -> Response:
        """Record an obligation by hand (a contract's notice, the insurer, the regulator)."""
        body = s.ObligationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        incident = incident_selectors.incident_get(user=request.user, ref=data.pop("incident"))
        created = obligations.obligation_add(incident=incident, actor=request.user, **data)
        return self._fresh(created.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ObligationDoneSerializer,
        responses={200: s.ObligationSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str) -> Response:
        """DONE with the receipt number (受付番号) and when it was submitted."""
        target = self.get_object()
        body = s.ObligationDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        obligations.obligation_done(obligation=target, actor=request.user, **body.validated_data)
        return self._fresh(target.pk)

    @extend_schema(
        request=s.ReasonSerializer,
        responses={200: s.ObligationSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def waive(self, request: Request, pk: str) -> Response:
        """WAIVED with the reason (400 REASON_REQUIRED)."""
        target = self.get_object()
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        obligations.obligation_waive(obligation=target, actor=request.user, **body.validated_data)
        return self._fresh(target.pk)

    @extend_schema(
        request=s.ReasonSerializer,
        responses={200: s.ObligationSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        target = self.get_object()
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        obligations.obligation_reopen(obligation=target, actor=request.user, **body.validated_data)
        return self._fresh(target.pk)


VERSION = OpenApiParameter(
    "version", str, enum=list(ReportVersion.values), description="SOKUHO (default) or KAKUHO"
)


@extend_schema(tags=["privacy"], parameters=[INCIDENT_REF])
class PpcReportView(APIView):
    """The PPC report, pre-filled from the record: each item's text and whether it is still
    empty. The app does not submit it to the PPC."""

    permission_classes = API_PERMISSIONS
    parser_classes = [JSONParser]
    detail = True  # the incident's visibility (404) and the service (403) decide

    @extend_schema(parameters=[VERSION], responses={200: dict, **errors(404)})
    def get(self, request: Request, incident_ref: str) -> Response:
        incident = incident_selectors.incident_get(user=request.user, ref=incident_ref)
        version = request.query_params.get("version", ReportVersion.SOKUHO)
        if version not in ReportVersion.values:
            version = ReportVersion.SOKUHO
        report = ppc.report_view(incident, version)
        return Response(
            {
                "version": version,
                "items": [
                    {"key": key, "label": label, "text": text, "empty": empty}
                    for key, label, text, empty in report.items
                ],
                "saved": report.saved is not None,
            }
        )

    @extend_schema(
        request=s.PpcReportWriteSerializer,
        responses={200: s.PpcReportSerializer, **errors(400, 403, 404)},
    )
    def put(self, request: Request, incident_ref: str) -> Response:
        incident = incident_selectors.incident_get(user=request.user, ref=incident_ref)
        body = s.PpcReportWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = ppc.report_save(incident=incident, actor=request.user, **body.validated_data)
        return Response(s.PpcReportSerializer(report).data)
