"""Courses, their sessions, who completed them (valid until when), and explicit assignments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from common.models import TimeStampedModel
from training.enums import AssignmentReason, AssignmentStatus, CompletionStatus, Delivery
from training.models.people import Person

USER = settings.AUTH_USER_MODEL


class Course(TimeStampedModel):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="courses",
        verbose_name=_("organisation"),
    )
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    # Months a completion stays valid; empty = it never expires.
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True
    )
    required_for = models.JSONField(_("required for"), default=list, blank=True)
    required_since = models.DateField(_("required since"))
    due_within_days = models.PositiveSmallIntegerField(_("due within (days)"), default=30)
    pass_score = models.PositiveSmallIntegerField(_("pass score"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["organisation", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="course_unique_code"),
            models.CheckConstraint(
                condition=models.Q(pass_score__isnull=True) | models.Q(pass_score__lte=100),
                name="course_pass_score_0_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(validity_months__isnull=True) | models.Q(validity_months__gt=0),
                name="course_validity_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Session(TimeStampedModel):
    """One delivery of a course: a classroom day, an e-learning window, a briefing."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course")
    )
    held_on = models.DateField(_("date"))
    delivery = models.CharField(_("delivery"), max_length=12, choices=Delivery.choices)
    location = models.CharField(_("place or link"), max_length=200, blank=True)
    instructor = models.CharField(_("instructor"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            # A course's sessions, newest first.
            models.Index(fields=["course", "-held_on"], name="session_course_date"),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} {self.held_on:%Y-%m-%d} ({self.get_delivery_display()})"


class Completion(TimeStampedModel):
    """A person attended (and passed, with a score where there is a quiz) on a day."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="completions", verbose_name=_("person")
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="completions", verbose_name=_("course")
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="completions",
        verbose_name=_("session"),
    )
    completed_on = models.DateField(_("date"))
    status = models.CharField(_("result"), max_length=10, choices=CompletionStatus.choices)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    # Last day the completion counts; empty = it never expires (or it was not passed).
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course", "completed_on"], name="completion_once_a_day"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=100),
                name="completion_score_0_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("completed_on")),
                name="completion_valid_after_completion",
            ),
        ]
        indexes = [
            # Coverage: the completions of an organisation's courses, by course and date.
            models.Index(
                fields=["organisation", "course", "completed_on"], name="completion_coverage"
            ),
            # A person's record, newest first.
            models.Index(fields=["person", "-completed_on"], name="completion_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.course.code} {self.completed_on:%Y-%m-%d}"


class Assignment(TimeStampedModel):
    """A course someone must take by a date outside their population's requirements: a
    follow-up after they clicked in a phishing drill, or one the ISMS office set."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("person")
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("course")
    )
    reason = models.CharField(_("reason"), max_length=16, choices=AssignmentReason.choices)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.OPEN,
    )
    completion = models.ForeignKey(
        Completion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    drill = models.ForeignKey(
        "training.PhishingDrill",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("drill"),
    )
    assigned_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course"],
                condition=models.Q(status="OPEN"),
                name="assignment_one_open_per_course",
            ),
            models.UniqueConstraint(
                fields=["person", "course", "drill"],
                condition=models.Q(drill__isnull=False),
                name="assignment_one_follow_up_per_drill",
            ),
        ]
        indexes = [
            # Open assignments by due date (the overdue list).
            models.Index(fields=["organisation", "status", "due_on"], name="assignment_due"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.course.code} by {self.due_on:%Y-%m-%d}"
