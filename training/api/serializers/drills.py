"""Serializers of phishing drills, their recipients, and CSV uploads."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import OrganisationUnit
from common.columns import ends_in
from common.timestamps import MomentField
from training.api.serializers.fields import OrganisationOwnedField
from training.enums import Population
from training.models import Course, CsvImport, DrillRecipient, PhishingDrill

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
    stores = ends_in(PhishingDrill, nowhere=("populations",))

    title = serializers.CharField(max_length=200)
    scenario = serializers.CharField(required=False, allow_blank=True, default="")
    sent_at = MomentField()
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
    stores = ends_in(CsvImport)

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
