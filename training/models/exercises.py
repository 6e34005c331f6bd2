"""Exercises (訓練) in drill mode: a scenario of timed injects replayed through the real
services on an exercise clock, and the incidents it created (flagged ``is_exercise``)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from common import clock
from common.models import TimeStampedModel
from incidents.models import Incident
from training.enums import ClockMode, ExerciseStatus, InjectKind

USER = settings.AUTH_USER_MODEL


class Exercise(TimeStampedModel):
    """The exercise clock maps wall time to exercise time: at ``clock_wall`` it read
    ``clock_at`` and it runs ``speed`` times as fast (0 while paused or stepped by hand).
    ``processed_to`` is how far injects and deadlines have been played."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="exercises"
    )
    title = models.CharField(_("title"), max_length=200)
    scenario = models.JSONField(_("scenario"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExerciseStatus.choices,
        default=ExerciseStatus.RUNNING,
    )
    mode = models.CharField(_("clock"), max_length=12, choices=ClockMode.choices)
    speed = models.FloatField(_("speed"), default=1.0)
    starts_at = models.DateTimeField(_("exercise start (exercise time)"))
    clock_at = models.DateTimeField(_("clock reading at the anchor"))
    clock_wall = models.DateTimeField(_("wall time at the anchor"))
    processed_to = models.DateTimeField(_("played up to"))
    finished_at = models.DateTimeField(_("finished at (exercise time)"), null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    started_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("facilitator")
    )

    class Meta:
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        constraints = [
            models.CheckConstraint(condition=models.Q(speed__gte=0), name="exercise_speed_gte_0"),
            models.CheckConstraint(
                condition=models.Q(processed_to__gte=models.F("starts_at")),
                name="exercise_played_after_start",
            ),
        ]
        indexes = [
            # The tick task: running exercises.
            models.Index(fields=["status"], name="exercise_status"),
            # The exercise list and the review pack: an organisation's exercises by date.
            models.Index(fields=["organisation", "-starts_at"], name="exercise_org_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def exercise_clock(self) -> clock.ScaledClock:
        running = self.status == ExerciseStatus.RUNNING
        return clock.ScaledClock(self.clock_at, self.clock_wall, self.speed if running else 0.0)

    def now(self) -> datetime:
        """Exercise time now; never behind what has already been played."""
        return max(self.exercise_clock()(), self.processed_to)


class ExerciseIncident(models.Model):
    """An incident an exercise created; each belongs to exactly one exercise."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="links")
    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, related_name="exercise_link"
    )

    class Meta:
        verbose_name = _("exercise incident")
        verbose_name_plural = _("exercise incidents")

    def __str__(self) -> str:
        return f"{self.exercise_id}: {self.incident_id}"


class ExerciseInject(models.Model):
    """A scenario event at a time, or one a participant or harness posted during the run."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="injects")
    seq = models.PositiveIntegerField(_("number"))
    at = models.DateTimeField(_("at (exercise time)"))
    kind = models.CharField(_("kind"), max_length=16, choices=InjectKind.choices)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    text = models.CharField(_("what happens"), max_length=500, blank=True)
    posted_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(_("played at"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("inject")
        verbose_name_plural = _("injects")
        ordering = ["at", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "seq"], name="inject_unique_seq"),
        ]
        indexes = [
            # The player: the next inject not yet played.
            models.Index(fields=["exercise", "applied_at", "at"], name="inject_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise_id} #{self.seq} {self.kind}"
