"""Serializers of the readiness API: people, courses, sessions, completions, drills, imports,
coverage and the CSIRT-function map. Outputs are read-only; inputs carry what a client sets."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import OrganisationUnit, User
from training.enums import DeliveryMode, Population, Topic
from training.models import (
    Assignment,
    Completion,
    Course,
    CsirtFunctionDelivery,
    CsvImport,
    DrillRecipient,
    Person,
    PhishingDrill,
    Session,
)


class OrganisationOwnedField(serializers.PrimaryKeyRelatedField):
    """A reference to a row of the requester's organisation (another's reads as unknown)."""

    def get_queryset(self):  # type: ignore[no-untyped-def]
        user = self.context["request"].user
        return self.queryset.filter(organisation_id=user.organisation_id)


# --- People -------------------------------------------------------------------------------------


class TrainingPersonSerializer(serializers.ModelSerializer):
    department = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "employee_no",
            "name",
            "email",
            "population",
            "unit",
            "department",
            "start_date",
            "left_on",
            "user",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_department(self, person: Person) -> str:
        return self.context.get("units", {}).get(person.unit_id, "")


class TrainingPersonWriteSerializer(serializers.Serializer):
    employee_no = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True)
    population = serializers.ChoiceField(choices=Population.choices)
    unit = OrganisationOwnedField(queryset=OrganisationUnit.objects.all())
    start_date = serializers.DateField()
    left_on = serializers.DateField(required=False, allow_null=True)
    user = OrganisationOwnedField(queryset=User.objects.all(), required=False, allow_null=True)


class DueSerializer(serializers.Serializer):
    course = serializers.IntegerField(source="course.pk")
    course_code = serializers.CharField(source="course.code")
    why = serializers.CharField()
    state = serializers.CharField(source="status.state")
    due_on = serializers.DateField(source="status.due_on", allow_null=True)
    last_completed_on = serializers.DateField(source="status.last_completed_on", allow_null=True)


class DrillOutcomeSerializer(serializers.Serializer):
    title = serializers.CharField()
    sent_at = serializers.DateTimeField()
    opened = serializers.BooleanField()
    clicked = serializers.BooleanField()
    entered_data = serializers.BooleanField()
    reported = serializers.BooleanField()
    minutes_to_report = serializers.FloatField(allow_null=True)


class ReadinessSerializer(serializers.Serializer):
    """What the incident room shows about a recipient of a real targeted email."""

    on = serializers.DateField()
    basics_valid = serializers.BooleanField()
    basics_last_completed = serializers.DateField(allow_null=True)
    basics_valid_until = serializers.DateField(allow_null=True)
    required_valid = serializers.BooleanField()
    drills = DrillOutcomeSerializer(many=True)
    due = DueSerializer(many=True)


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
    key = serializers.CharField()
    label = serializers.CharField()
    required = serializers.IntegerField()
    covered = serializers.IntegerField()
    percent = serializers.IntegerField()


class CoverageMissingSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    employee_no = serializers.CharField()
    name = serializers.CharField()
    population = serializers.CharField()
    department = serializers.CharField()
    courses = serializers.ListField(child=serializers.CharField())


class CoverageSerializer(serializers.Serializer):
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


# --- Drills and imports ------------------------------------------------------------------------


class PhishingDrillSerializer(serializers.ModelSerializer):
    """Counts come from annotations (one query for the whole list); rates are percentages."""

    recipients = serializers.IntegerField(source="n_recipients", read_only=True)
    opened = serializers.IntegerField(source="n_opened", read_only=True)
    clicked = serializers.IntegerField(source="n_clicked", read_only=True)
    entered_data = serializers.IntegerField(source="n_entered", read_only=True)
    reported = serializers.IntegerField(source="n_reported", read_only=True)
    report_rate = serializers.SerializerMethodField()
    click_rate = serializers.SerializerMethodField()

    class Meta:
        model = PhishingDrill
        fields = [
            "id",
            "title",
            "scenario",
            "sent_at",
            "follow_up_course",
            "follow_up_days",
            "results_imported_at",
            "recipients",
            "opened",
            "clicked",
            "entered_data",
            "reported",
            "click_rate",
            "report_rate",
        ]
        read_only_fields = fields

    def _rate(self, drill: PhishingDrill, count: int) -> int:
        return round(100 * count / drill.n_recipients) if drill.n_recipients else 0

    def get_report_rate(self, drill: PhishingDrill) -> int:
        return self._rate(drill, drill.n_reported)

    def get_click_rate(self, drill: PhishingDrill) -> int:
        return self._rate(drill, drill.n_clicked)


class PhishingDrillDetailSerializer(PhishingDrillSerializer):
    median_minutes_to_report = serializers.SerializerMethodField()

    class Meta(PhishingDrillSerializer.Meta):
        fields = [*PhishingDrillSerializer.Meta.fields, "median_minutes_to_report"]
        read_only_fields = fields

    def get_median_minutes_to_report(self, drill: PhishingDrill) -> float | None:
        from training.selectors import drill_results

        return drill_results(drill).median_minutes_to_report


class PhishingDrillWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    scenario = serializers.CharField(required=False, allow_blank=True, default="")
    sent_at = serializers.DateTimeField()
    follow_up_course = OrganisationOwnedField(
        queryset=Course.objects.all(), required=False, allow_null=True, default=None
    )
    follow_up_days = serializers.IntegerField(min_value=1, max_value=365, default=30)
    populations = serializers.ListField(
        child=serializers.ChoiceField(choices=Population.choices), required=False, default=list
    )
    units = serializers.ListField(
        child=OrganisationOwnedField(queryset=OrganisationUnit.objects.all()),
        required=False,
        default=list,
    )


class DrillRecipientSerializer(serializers.ModelSerializer):
    class Meta:
        model = DrillRecipient
        fields = [
            "person",
            "opened",
            "opened_at",
            "clicked",
            "clicked_at",
            "entered_data",
            "entered_data_at",
            "reported",
            "reported_at",
        ]
        read_only_fields = fields


class CsvUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("UTF-8 (with or without BOM) or Shift_JIS CSV"))


class CsvImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = CsvImport
        fields = [
            "id",
            "kind",
            "filename",
            "encoding",
            "status",
            "row_count",
            "summary",
            "errors",
            "drill",
            "created_at",
            "applied_at",
        ]
        read_only_fields = fields


# --- CSIRT-function map --------------------------------------------------------------------------


class CsirtFunctionDeliverySerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(source="function.number")
    group = serializers.CharField(source="function.group")
    name_ja = serializers.CharField(source="function.name_ja")
    name_en = serializers.CharField(source="function.name_en")
    first_service = serializers.CharField(source="function.first_service")
    iso_controls = serializers.CharField(source="function.iso_controls")
    isms_alpha = serializers.CharField(source="function.isms_alpha")
    default_step = serializers.IntegerField(source="function.default_step", allow_null=True)

    class Meta:
        model = CsirtFunctionDelivery
        fields = [
            "number",
            "group",
            "name_ja",
            "name_en",
            "first_service",
            "iso_controls",
            "isms_alpha",
            "default_step",
            "mode",
            "provider",
            "step",
            "note",
            "assessed",
            "updated_at",
        ]
        read_only_fields = fields


class CsirtFunctionWriteSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=DeliveryMode.choices)
    provider = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    step = serializers.IntegerField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CsirtStepSerializer(serializers.Serializer):
    step = serializers.IntegerField(min_value=1, max_value=3)
