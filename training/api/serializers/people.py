"""Serializers of people and their readiness."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import OrganisationUnit, User
from common.columns import NOTHING, ends_in
from training.api.serializers.fields import OrganisationOwnedField
from training.enums import Population
from training.models import Person

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
    stores = ends_in(Person)

    employee_no = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    population = serializers.ChoiceField(choices=Population.choices)
    unit = OrganisationOwnedField(queryset=OrganisationUnit.objects.all())
    start_date = serializers.DateField()
    left_on = serializers.DateField(required=False, allow_null=True)
    user = OrganisationOwnedField(queryset=User.objects.all(), required=False, allow_null=True)


class DueSerializer(serializers.Serializer):
    stores = NOTHING

    course = serializers.IntegerField(source="course.pk")
    course_code = serializers.CharField(source="course.code")
    why = serializers.CharField()
    state = serializers.CharField(source="status.state")
    due_on = serializers.DateField(source="status.due_on", allow_null=True)
    last_completed_on = serializers.DateField(source="status.last_completed_on", allow_null=True)


class DrillOutcomeSerializer(serializers.Serializer):
    stores = NOTHING

    title = serializers.CharField()
    sent_at = serializers.DateTimeField()
    opened = serializers.BooleanField()
    clicked = serializers.BooleanField()
    entered_data = serializers.BooleanField()
    reported = serializers.BooleanField()
    minutes_to_report = serializers.FloatField(allow_null=True)


class ReadinessSerializer(serializers.Serializer):
    """What the incident room shows about a recipient of a real targeted email."""

    stores = NOTHING

    on = serializers.DateField()
    basics_valid = serializers.BooleanField()
    basics_last_completed = serializers.DateField(allow_null=True)
    basics_valid_until = serializers.DateField(allow_null=True)
    required_valid = serializers.BooleanField()
    drills = DrillOutcomeSerializer(many=True)
    due = DueSerializer(many=True)
