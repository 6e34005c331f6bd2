"""Exercise pages: the list and start form, the exercise room (clock, decisions, facts,
injects), and the after-action report (printable)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from training import access, scenario, selectors
from training.forms import (
    ExerciseAdvanceForm,
    ExerciseDecideForm,
    ExerciseInjectForm,
    ExerciseStartForm,
    FindingsForm,
)
from training.models import Exercise
from training.selectors import exercises as reads
from training.services import exercise_player, exercises
from training.views.common import require_role


@login_required
def exercise_list(request: HttpRequest) -> HttpResponse:
    require_role(access.can_read(request.user))
    form = ExerciseStartForm(
        request.POST or None, request.FILES or None, samples=scenario.samples()
    )
    if request.method == "POST":
        require_role(access.can_run_exercises(request.user))
        if form.is_valid():
            try:
                exercise = exercises.exercise_start(
                    organisation=request.user.organisation,
                    actor=request.user,
                    document=form.cleaned_data["document"],
                    mode=form.cleaned_data["mode"],
                    speed=form.cleaned_data["speed"],
                    starts_at=form.cleaned_data["starts_at"],
                    title=form.cleaned_data["title"],
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
                for problem in error.details.get("problems", []):
                    form.add_error(None, problem)
            else:
                return HttpResponseRedirect(reverse("training:exercise_room", args=[exercise.pk]))
    context = {
        "exercises": selectors.exercises_of(request.user),
        "form": form,
        "can_run": access.can_run_exercises(request.user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "training/exercise_list.html", context, status=status)


def _room(request: HttpRequest, exercise: Exercise, *, status: int = 200) -> HttpResponse:
    decisions = list(reads.exercise_decisions(exercise))
    context = {
        "exercise": exercise,
        "incidents": reads.exercise_incidents(exercise),
        "open_decisions": [
            (d, ExerciseDecideForm(prefix=f"d{d.pk}")) for d in decisions if d.status == "OPEN"
        ],
        "closed_decisions": [d for d in decisions if d.status != "OPEN"],
        "tasks": reads.exercise_tasks(exercise),
        "injects": reads.exercise_injects(exercise),
        "advance_form": ExerciseAdvanceForm(),
        "inject_form": ExerciseInjectForm(),
        "findings_form": FindingsForm(initial={"findings": exercise.findings}),
        "can_run": access.can_run_exercises(request.user),
    }
    return render(request, "training/exercise_room.html", context, status=status)


@login_required
def exercise_room(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(access.can_read(request.user))
    return _room(request, selectors.exercise_get(user=request.user, pk=pk))


def _act(request: HttpRequest, pk: int, run: Callable[[Exercise], Any]) -> HttpResponse:
    """Run a command on the exercise; a refusal is shown on the room page."""
    exercise = get_object_or_404(Exercise, pk=pk, organisation_id=request.user.organisation_id)
    try:
        run(exercise)
    except DomainError as error:
        if error.status_code == 403:
            raise PermissionDenied from error
        messages.error(request, str(error.message))
    return HttpResponseRedirect(reverse("training:exercise_room", args=[exercise.pk]))


@login_required
@require_POST
def exercise_advance(request: HttpRequest, pk: int) -> HttpResponse:
    form = ExerciseAdvanceForm(request.POST)

    def run(exercise: Exercise) -> None:
        if not form.is_valid():
            raise DomainError("invalid", _("Give minutes or a time."))
        to = form.cleaned_data["to"]
        if to is None and form.cleaned_data["minutes"] is not None:
            to = exercise.processed_to + timedelta(minutes=form.cleaned_data["minutes"])
        exercises.exercise_advance(exercise=exercise, actor=request.user, to=to)

    return _act(request, pk, run)


@login_required
@require_POST
def exercise_control(request: HttpRequest, pk: int, command: str) -> HttpResponse:
    commands = {"pause": exercises.exercise_pause, "resume": exercises.exercise_resume}
    findings = FindingsForm(request.POST)

    def run(exercise: Exercise) -> None:
        if command == "finish":
            text = findings.cleaned_data["findings"] if findings.is_valid() else ""
            exercises.exercise_finish(exercise=exercise, actor=request.user, findings=text)
        elif command == "findings" and findings.is_valid():
            exercises.exercise_findings_set(
                exercise=exercise, actor=request.user, findings=findings.cleaned_data["findings"]
            )
        else:
            commands[command](exercise=exercise, actor=request.user)

    return _act(request, pk, run)


@login_required
@require_POST
def exercise_decide(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    form = ExerciseDecideForm(request.POST, prefix=f"d{decision_pk}")

    def run(exercise: Exercise) -> None:
        decision = get_object_or_404(exercise_player.exercise_decisions(exercise), pk=decision_pk)
        if not form.is_valid():
            raise DomainError("invalid", _("Choose an outcome and give the rationale."))
        exercises.exercise_decide(
            exercise=exercise,
            decision=decision,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            rationale=form.cleaned_data["rationale"],
            scope=form.cleaned_data["scope"] or None,
        )
        messages.success(request, _("Decided as of the exercise clock."))

    return _act(request, pk, run)


@login_required
@require_POST
def exercise_inject(request: HttpRequest, pk: int) -> HttpResponse:
    form = ExerciseInjectForm(request.POST)

    def run(exercise: Exercise) -> None:
        if not form.is_valid():
            raise DomainError("invalid", _("The fact is not complete."))
        exercises.exercise_inject(
            exercise=exercise,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            payload=form.payload(),
            text=form.cleaned_data["text"],
        )

    return _act(request, pk, run)


@login_required
def exercise_report(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(access.can_read(request.user))
    exercise = selectors.exercise_get(user=request.user, pk=pk)
    report = reads.after_action_report(exercise)
    return render(
        request, "training/exercise_report.html", {"report": report, "exercise": exercise}
    )
