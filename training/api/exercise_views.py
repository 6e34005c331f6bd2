"""The exercise API: start, drive the clock step by step, post facts and decisions as of
exercise time, read the state (decisions, deadlines, tasks), and the after-action report.

An external harness replays a scenario deterministically with a STEPPED exercise: advance to
a time, post what happens then, read the state, repeat."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import ApiKeyScopePermission
from common.parsers import JSONParser
from incidents.api.views.base import ApiViewSet, errors
from training import access, scenario
from training.api import exercise_serializers as s
from training.models import Exercise
from training.selectors import exercises as reads
from training.services import exercise_player, exercises


def _runner(user: Any) -> bool:
    return access.can_run_exercises(user)


class ExerciseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Exercises (訓練) in drill mode. Their incidents are flagged ``is_exercise``."""

    serializer_class = s.ExerciseSerializer
    parser_classes = [JSONParser]
    action_policy = {
        "create": _runner,
        "advance": _runner,
        "pause": _runner,
        "resume": _runner,
        "finish": _runner,
    }

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return reads.exercises_of(self.request.user)

    def _exercise(self) -> Exercise:
        return self.get_object()

    def _state(self, exercise: Exercise) -> Response:
        exercise.refresh_from_db()
        data = {
            "exercise": exercise,
            "incidents": reads.exercise_incidents(exercise),
            "decisions": reads.exercise_decisions(exercise),
            "tasks": reads.exercise_tasks(exercise),
            "injects": reads.exercise_injects(exercise),
        }
        return Response(s.ExerciseStateSerializer(data).data)

    @extend_schema(
        request=s.ExerciseStartSerializer,
        responses={201: s.ExerciseSerializer, **errors(400, 403)},
    )
    def create(self, request: Request) -> Response:
        """Start an exercise from a sample or a scenario; +0:00 is played at once."""
        body = s.ExerciseStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        exercise = exercises.exercise_start(
            organisation=request.user.organisation,
            actor=request.user,
            document=data["scenario"],
            mode=data["mode"],
            speed=data["speed"],
            starts_at=data["starts_at"],
            title=data["title"],
        )
        return Response(s.ExerciseSerializer(exercise).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.ExerciseStateSerializer, **errors(404)})
    @action(detail=True, methods=["get"])
    def state(self, request: Request, pk: str) -> Response:
        """The clock, the exercise's incidents, decisions with deadlines and assignees, tasks,
        and the injects with what they did."""
        return self._state(self._exercise())

    @extend_schema(
        request=s.ExerciseAdvanceSerializer,
        responses={200: s.ExerciseStateSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str) -> Response:
        """Move the exercise clock to ``to`` (or ``minutes`` forward, or to its own now),
        playing every inject, deadline and re-assignment on the way."""
        exercise = self._exercise()
        body = s.ExerciseAdvanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        to = body.validated_data["to"]
        if to is None and body.validated_data["minutes"] is not None:
            to = exercise.processed_to + timedelta(minutes=body.validated_data["minutes"])
        exercises.exercise_advance(exercise=exercise, actor=request.user, to=to)
        return self._state(exercise)

    @extend_schema(
        request=s.ExerciseInjectSerializer,
        responses={200: s.ExerciseStateSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def inject(self, request: Request, pk: str) -> Response:
        """Post an inject as of exercise time now, played at once as the poster through the
        service the normal screen calls: a report, a fact (infection, isolation, external
        communication, leak), a mail delivery, an indicator or a block, a decision opened,
        decided, ratified or withdrawn, a transition, a task finished, a communication, an
        obligation, or a note. The fields each kind takes are the scenario schema's
        (``GET /api/v1/exercise-scenarios/schema/``)."""
        exercise = self._exercise()
        body = s.ExerciseInjectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        kind, text = data.pop("kind"), data.pop("text")
        exercises.exercise_inject(
            exercise=exercise, actor=request.user, kind=kind, payload=data, text=text
        )
        return self._state(exercise)

    @extend_schema(
        request=s.ExerciseDecideSerializer,
        responses={200: s.ExerciseStateSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """Decide one of the exercise's decisions as of exercise time; the decider must hold
        the role (or be its deputy), as in a real incident."""
        exercise = self._exercise()
        body = s.ExerciseDecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        decision = get_object_or_404(
            exercise_player.exercise_decisions(exercise), pk=data.pop("decision")
        )
        exercises.exercise_decide(exercise=exercise, decision=decision, actor=request.user, **data)
        return self._state(exercise)

    def _move(self, request: Request, run: Any) -> Response:
        exercise = self._exercise()
        run(exercise=exercise, actor=request.user)
        exercise.refresh_from_db()
        return Response(s.ExerciseSerializer(exercise).data)

    @extend_schema(request=None, responses={200: s.ExerciseSerializer, **errors(403, 404, 409)})
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str) -> Response:
        """Stop the clock (the exercise keeps its state)."""
        return self._move(request, exercises.exercise_pause)

    @extend_schema(request=None, responses={200: s.ExerciseSerializer, **errors(403, 404, 409)})
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        """Let the clock run again from where it stopped."""
        return self._move(request, exercises.exercise_resume)

    @extend_schema(
        request=s.ExerciseFinishSerializer,
        responses={200: s.ExerciseSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def finish(self, request: Request, pk: str) -> Response:
        """End the exercise, with the facilitator's findings."""
        body = s.ExerciseFinishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        findings = body.validated_data["findings"]

        def run(*, exercise: Exercise, actor: Any) -> Exercise:
            return exercises.exercise_finish(exercise=exercise, actor=actor, findings=findings)

        return self._move(request, run)

    @extend_schema(responses={200: s.AfterActionReportSerializer, **errors(404)})
    @action(detail=True, methods=["get"])
    def report(self, request: Request, pk: str) -> Response:
        """The after-action report: each expected decision, who took it, how long against its
        deadline, re-assignments, the alerts about it and how many were acknowledged."""
        report = reads.after_action_report(self._exercise())
        return Response(s.AfterActionReportSerializer(s.after_action_data(report)).data)


class ScenarioSamplesView(APIView):
    """The sample scenarios shipped with the product."""

    permission_classes = (permissions.IsAuthenticated, ApiKeyScopePermission)

    @extend_schema(responses={200: s.ScenarioSampleSerializer(many=True), **errors(403)})
    def get(self, request: Request) -> Response:
        if not access.can_read(request.user):
            raise PermissionDenied
        rows = [
            {
                "name": name,
                "title": doc["title"],
                "description": doc.get("description", ""),
                "injects": len(doc["injects"]),
                "expected_decisions": [d["type"] for d in doc["expected_decisions"]],
            }
            for name, doc in scenario.samples().items()
        ]
        return Response(s.ScenarioSampleSerializer(rows, many=True).data)


class ScenarioSchemaView(APIView):
    """The published JSON Schema of exercise scenarios (``training/schema/scenario.schema.json``):
    what an outside tool checks a scenario file, or an inject it posts, against."""

    permission_classes = (permissions.IsAuthenticated, ApiKeyScopePermission)

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **errors(403)})
    def get(self, request: Request) -> Response:
        if not access.can_read(request.user):
            raise PermissionDenied
        return Response(json.loads(scenario.SCHEMA_PATH.read_text(encoding="utf-8")))
