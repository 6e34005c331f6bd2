"""Serializers of courses, sessions, completions, assignments and coverage."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.columns import NOTHING, ends_in
from training.api.serializers.fields import OrganisationOwnedField
from training.enums import Population, Topic
from training.models import Assignment, Completion, Course, Person, Session

# --- Courses, sessions, completions --------------------------------------------------------------


class CourseSerializer(serializers.ModelSerializer):
    topics = serializers.ListField(child=serializers.ChoiceField(choices=Topic.choices))
    required_for = serializers.ListField(child=serializers.ChoiceField(choices=Population.choices))

    class Meta:
        model = Course
        fields = [
            "id",
            "code",
            "title",
            "description",
            "topics",
            "validity_months",
            "required_for",
            "required_since",
            "due_within_days",
            "pass_score",
            "active",
            "created_at",
        ]
        read_only_fields = fields


class CourseWriteSerializer(serializers.Serializer):
    stores = ends_in(Course)

    code = serializers.CharField(max_length=32)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=Topic.choices), required=False
    )
    validity_months = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=120
    )
    required_for = serializers.ListField(
        child=serializers.ChoiceField(choices=Population.choices), required=False
    )
    required_since = serializers.DateField(required=False)
    due_within_days = serializers.IntegerField(required=False, min_value=0, max_value=365)
    pass_score = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100
    )
    active = serializers.BooleanField(required=False)


class TrainingSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "course", "held_on", "delivery", "location", "instructor", "created_at"]
        read_only_fields = fields


class TrainingSessionWriteSerializer(serializers.ModelSerializer):
    course = OrganisationOwnedField(queryset=Course.objects.all())

    class Meta:
        model = Session
        fields = ["course", "held_on", "delivery", "location", "instructor"]


class CompletionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Completion
        fields = [
            "id",
            "person",
            "course",
            "session",
            "completed_on",
            "status",
            "score",
            "valid_until",
            "created_at",
        ]
        read_only_fields = fields


class CompletionWriteSerializer(serializers.Serializer):
    stores = ends_in(Completion)

    person = OrganisationOwnedField(queryset=Person.objects.all())
    course = OrganisationOwnedField(queryset=Course.objects.all())
    session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.all(), required=False, allow_null=True
    )
    completed_on = serializers.DateField()
    score = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100)

    def validate_session(self, session: Session | None) -> Session | None:
        user = self.context["request"].user
        if session is not None and session.course.organisation_id != user.organisation_id:
            raise serializers.ValidationError(_("Unknown session."), code="does_not_exist")
        return session


class TrainingAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assignment
        fields = ["id", "person", "course", "reason", "due_on", "status", "drill", "created_at"]
        read_only_fields = fields


# --- Coverage ----------------------------------------------------------------------------------


class CoverageRowSerializer(serializers.Serializer):
    stores = NOTHING

    key = serializers.CharField()
    label = serializers.CharField()
    required = serializers.IntegerField()
    covered = serializers.IntegerField()
    percent = serializers.IntegerField()


class CoverageMissingSerializer(serializers.Serializer):
    stores = NOTHING

    person = serializers.IntegerField()
    employee_no = serializers.CharField()
    name = serializers.CharField()
    population = serializers.CharField()
    department = serializers.CharField()
    courses = serializers.ListField(child=serializers.CharField())


class CoverageSerializer(serializers.Serializer):
    stores = NOTHING

    on = serializers.DateField()
    courses = serializers.ListField(child=serializers.CharField())
    total = CoverageRowSerializer()
    by_population = CoverageRowSerializer(many=True)
    by_department = CoverageRowSerializer(many=True)
    missing = CoverageMissingSerializer(many=True)


def coverage_data(view: Any) -> dict[str, Any]:
    def row(key: Any, label: str, r: Any) -> dict[str, Any]:
        return {
            "key": str(key),
            "label": label,
            "required": r.required,
            "covered": r.covered,
            "percent": r.percent,
        }

    populations = dict(Population.choices)
    return {
        "on": view.on,
        "courses": [c.code for c in view.courses],
        "total": row("all", "", view.result.total),
        "by_population": [row(r.key, label, r) for label, r in view.population_rows],
        "by_department": [row(r.key, name, r) for name, r in view.unit_rows],
        "missing": [
            {
                "person": m.person.id,
                "employee_no": m.person.employee_no,
                "name": m.person.name,
                "population": str(populations.get(m.person.population, m.person.population)),
                "department": unit,
                "courses": [c.code for c in m.courses],
            }
            for m, unit in view.missing_rows
        ],
    }
