"""The readiness API: people (and their CSV import), courses, sessions, completions,
assignments, coverage, phishing drills and their results, the CSIRT-function map."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import ApiKeyScopePermission
from common.errors import InvalidInput
from common.parsers import JSONParser
from incidents.api.views.base import ApiViewSet, errors
from training import access, selectors
from training.api import serializers as s
from training.enums import ImportKind
from training.models import CsirtFunction, CsirtFunctionDelivery, CsvImport, PhishingDrill
from training.services import courses, csirt, drills, people

FILE_LIMIT = 10 * 1024 * 1024


def _keeper(user: Any) -> bool:
    return access.can_keep_records(user)


def _upload(request: Request) -> tuple[bytes, str]:
    body = s.CsvUploadSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    upload = body.validated_data["file"]
    if upload.size > FILE_LIMIT:
        raise InvalidInput("file_too_large", _("The file is larger than 10 MB."), field="file")
    return upload.read(), upload.name


class _RecordViewSet(ApiViewSet):
    parser_classes = [JSONParser]

    def _out(self, instance: Any, code: int = status.HTTP_200_OK) -> Response:
        serializer = self.get_serializer_class()(instance, context=self.get_serializer_context())
        return Response(serializer.data, status=code)


# --- People ---------------------------------------------------------------------------------------

POPULATION = OpenApiParameter("population", str, description="EMPLOYEE, DISPATCHED, …")
UNIT = OpenApiParameter("unit", int, description="Department (organisation unit) id")
SEARCH = OpenApiParameter("q", str, description="Name (part) or exact staff number")


@extend_schema(parameters=[POPULATION, UNIT, SEARCH])
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _RecordViewSet):
    """Everyone who must be trained, with or without an account."""

    serializer_class = s.TrainingPersonSerializer
    action_policy = {"create": _keeper, "partial_update": _keeper, "import_csv": _keeper}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        found = selectors.people_of(self.request.user)
        params = self.request.query_params
        if params.get("population"):
            found = found.filter(population=params["population"])
        if params.get("unit", "").isdigit():
            found = found.filter(unit_id=int(params["unit"]))
        if params.get("q"):
            found = found.filter(Q(name__icontains=params["q"]) | Q(employee_no=params["q"]))
        return found

    def get_serializer_context(self) -> dict[str, Any]:
        org = getattr(self.request.user, "organisation_id", None)
        return {**super().get_serializer_context(), "units": selectors.unit_paths(org or 0)}

    @extend_schema(
        request=s.TrainingPersonWriteSerializer,
        responses={201: s.TrainingPersonSerializer, **errors(400, 403)},
    )
    def create(self, request: Request) -> Response:
        body = s.TrainingPersonWriteSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        person = people.person_create(
            organisation=request.user.organisation, actor=request.user, **body.validated_data
        )
        return self._out(person, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.TrainingPersonWriteSerializer,
        responses={200: s.TrainingPersonSerializer, **errors(400, 403, 404)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        person = self.get_object()
        body = s.TrainingPersonWriteSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        body.is_valid(raise_exception=True)
        person = people.person_update(
            person=person, actor=request.user, changes=dict(body.validated_data)
        )
        return self._out(person)

    @extend_schema(responses={200: s.ReadinessSerializer, **errors(404)})
    @action(detail=True, methods=["get"])
    def readiness(self, request: Request, pk: str) -> Response:
        """Valid basic-behaviour training, every course due, and the drill history."""
        person = self.get_object()
        readiness = selectors.person_readiness(person)
        data = {**readiness.__dict__, "due": selectors.person_training(person)}
        return Response(s.ReadinessSerializer(data).data)

    @extend_schema(
        request={"multipart/form-data": s.CsvUploadSerializer},
        responses={201: s.CsvImportSerializer, **errors(400, 403)},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_csv(self, request: Request) -> Response:
        """Check an HR CSV and keep it: the answer lists every row's error. Import it with
        ``csv-imports/{id}/apply/`` (all rows or none)."""
        data, name = _upload(request)
        preview = people.people_import_preview(
            organisation=request.user.organisation, actor=request.user, data=data, filename=name
        )
        return Response(s.CsvImportSerializer(preview).data, status=status.HTTP_201_CREATED)


class CsvImportViewSet(mixins.RetrieveModelMixin, _RecordViewSet):
    """Uploaded CSV files (people, drill results): previewed, then imported or discarded."""

    serializer_class = s.CsvImportSerializer
    action_policy = {"retrieve": _keeper, "apply": _keeper, "discard": _keeper}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        organisation_id = getattr(self.request.user, "organisation_id", None)
        return CsvImport.objects.filter(organisation_id=organisation_id)

    @extend_schema(
        request=None, responses={200: s.CsvImportSerializer, **errors(400, 403, 404, 409)}
    )
    @action(detail=True, methods=["post"])
    def apply(self, request: Request, pk: str) -> Response:
        """Import every row, or none: any row error answers 400 ``import_has_errors`` with the
        errors in ``details.errors``."""
        upload = self.get_object()
        if upload.kind == ImportKind.PEOPLE:
            people.people_import_apply(csv_import=upload, actor=request.user)
        else:
            drills.drill_results_apply(csv_import=upload, actor=request.user)
        upload.refresh_from_db()
        return self._out(upload)

    @extend_schema(request=None, responses={200: s.CsvImportSerializer, **errors(403, 404, 409)})
    @action(detail=True, methods=["post"])
    def discard(self, request: Request, pk: str) -> Response:
        upload = people.import_reject(csv_import=self.get_object(), actor=request.user)
        return self._out(upload)


# --- Courses, sessions, completions, assignments -------------------------------------------------


class CourseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _RecordViewSet):
    serializer_class = s.CourseSerializer
    pagination_class = None
    action_policy = {"create": _keeper, "partial_update": _keeper}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.courses_of(self.request.user)

    @extend_schema(
        request=s.CourseWriteSerializer, responses={201: s.CourseSerializer, **errors(400, 403)}
    )
    def create(self, request: Request) -> Response:
        body = s.CourseWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        course = courses.course_create(
            organisation=request.user.organisation, actor=request.user, **body.validated_data
        )
        return self._out(course, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.CourseWriteSerializer,
        responses={200: s.CourseSerializer, **errors(400, 403, 404)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        course = self.get_object()
        body = s.CourseWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        course = courses.course_update(
            course=course, actor=request.user, changes=dict(body.validated_data)
        )
        return self._out(course)


@extend_schema(parameters=[OpenApiParameter("course", int)])
class TrainingSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _RecordViewSet):
    serializer_class = s.TrainingSessionSerializer
    action_policy = {"create": _keeper}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        found = selectors.sessions_visible_to(self.request.user)
        course = self.request.query_params.get("course", "")
        return found.filter(course_id=int(course)) if course.isdigit() else found

    @extend_schema(
        request=s.TrainingSessionWriteSerializer,
        responses={201: s.TrainingSessionSerializer, **errors(400, 403)},
    )
    def create(self, request: Request) -> Response:
        body = s.TrainingSessionWriteSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        session = courses.session_create(actor=request.user, **body.validated_data)
        return self._out(session, status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("person", int), OpenApiParameter("course", int)])
class CompletionViewSet(mixins.ListModelMixin, _RecordViewSet):
    """Attendance and results; recording one for the same person, course and day corrects it."""

    serializer_class = s.CompletionSerializer
    action_policy = {"create": _keeper}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        found = selectors.completions_visible_to(self.request.user)
        for name in ("person", "course"):
            value = self.request.query_params.get(name, "")
            if value.isdigit():
                found = found.filter(**{f"{name}_id": int(value)})
        return found

    @extend_schema(
        request=s.CompletionWriteSerializer,
        responses={201: s.CompletionSerializer, **errors(400, 403)},
    )
    def create(self, request: Request) -> Response:
        body = s.CompletionWriteSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        completion = courses.completion_record(actor=request.user, **body.validated_data)
        return self._out(completion, status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("person", int), OpenApiParameter("status", str)])
class TrainingAssignmentViewSet(mixins.ListModelMixin, _RecordViewSet):
    """Courses assigned by a date: drill follow-ups and the ISMS office's own."""

    serializer_class = s.TrainingAssignmentSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        found = selectors.assignments_visible_to(self.request.user)
        params = self.request.query_params
        if params.get("person", "").isdigit():
            found = found.filter(person_id=int(params["person"]))
        if params.get("status"):
            found = found.filter(status=params["status"])
        return found


class CoverageView(APIView):
    permission_classes = (permissions.IsAuthenticated, ApiKeyScopePermission)

    @extend_schema(
        parameters=[
            OpenApiParameter("course", int, description="One course; default every required"),
            OpenApiParameter("on", OpenApiTypes.DATE, description="The day; default today"),
        ],
        responses={200: s.CoverageSerializer, **errors(400, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        """Who holds valid training, by population and department, and who lacks it."""
        if not access.can_read(request.user):
            raise PermissionDenied
        course = request.query_params.get("course", "")
        chosen = (
            selectors.course_get(user=request.user, pk=int(course)) if course.isdigit() else None
        )
        raw_on = request.query_params.get("on")
        on = serializers.DateField().to_internal_value(raw_on) if raw_on else None
        view = selectors.coverage_report(user=request.user, course=chosen, on=on, trend=False)
        return Response(s.CoverageSerializer(s.coverage_data(view)).data)


# --- Drills ------------------------------------------------------------------------------------


class PhishingDrillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _RecordViewSet):
    action_policy = {"create": _keeper, "results": _keeper}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.drills_with_counts(self.request.user)

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        if self.action == "retrieve":
            return s.PhishingDrillDetailSerializer
        return s.PhishingDrillSerializer

    @extend_schema(
        request=s.PhishingDrillWriteSerializer,
        responses={201: s.PhishingDrillSerializer, **errors(400, 403)},
    )
    def create(self, request: Request) -> Response:
        """A drill and its recipients (the chosen populations and departments, or everyone)."""
        body = s.PhishingDrillWriteSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        drill = drills.drill_create(
            organisation=request.user.organisation, actor=request.user, **body.validated_data
        )
        return self._out(self.get_queryset().get(pk=drill.pk), status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.DrillRecipientSerializer(many=True), **errors(404)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def recipients(self, request: Request, pk: str) -> Response:
        drill = self.get_object()
        rows = selectors.drill_recipients(drill)
        return Response(s.DrillRecipientSerializer(rows, many=True).data)

    @extend_schema(
        request={"multipart/form-data": s.CsvUploadSerializer},
        responses={201: s.CsvImportSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def results(self, request: Request, pk: str) -> Response:
        """Check the drill tool's results CSV; import it with ``csv-imports/{id}/apply/``,
        which also assigns the follow-up course to everyone who clicked."""
        drill = get_object_or_404(PhishingDrill, pk=self.get_object().pk)
        data, name = _upload(request)
        preview = drills.drill_results_preview(
            drill=drill, actor=request.user, data=data, filename=name
        )
        return Response(s.CsvImportSerializer(preview).data, status=status.HTTP_201_CREATED)


# --- CSIRT-function map ------------------------------------------------------------------------


class CsirtFunctionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _RecordViewSet):
    """The 17 functions and how the organisation delivers each; ``number`` is 1–17."""

    serializer_class = s.CsirtFunctionDeliverySerializer
    pagination_class = None
    lookup_field = "function__number"
    lookup_url_kwarg = "number"
    action_policy = {"partial_update": access.can_edit_map}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        user = self.request.user
        if not access.can_read(user):
            return CsirtFunctionDelivery.objects.none()
        csirt.csirt_map_ensure(organisation=user.organisation)
        return selectors.csirt_map(user.organisation)

    @extend_schema(
        request=s.CsirtFunctionWriteSerializer,
        responses={200: s.CsirtFunctionDeliverySerializer, **errors(400, 403, 404)},
    )
    def partial_update(self, request: Request, number: str) -> Response:
        row = self.get_object()
        body = s.CsirtFunctionWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        csirt.csirt_function_set(
            organisation=request.user.organisation,
            function=get_object_or_404(CsirtFunction, pk=row.function_id),
            actor=request.user,
            **body.validated_data,
        )
        return self._out(self.get_queryset().get(pk=row.pk))

    @extend_schema(
        request=s.CsirtStepSerializer, responses={200: s.CsirtStepSerializer, **errors(400, 403)}
    )
    @action(detail=False, methods=["get", "post"])
    def step(self, request: Request) -> Response:
        """The organisation's STEP (1 intake desk, 2 triage and handling, 3 expanded)."""
        if not access.can_read(request.user):
            raise PermissionDenied
        organisation = request.user.organisation
        if request.method == "POST":
            body = s.CsirtStepSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            organisation = csirt.csirt_step_set(
                organisation=organisation, actor=request.user, step=body.validated_data["step"]
            )
        return Response({"step": organisation.csirt_step})
