"""Reports number from a stored per-organisation, per-year sequence, real and exercise apart
(issue 18). Existing reports keep the digits they were shown with (their row id, and the UTC
year of receipt), so a number already given to a reporter or written to a timeline still names
the same report; an exercise's report becomes EX-R-…. Each counter continues after the
highest number of its organisation, year and kind."""

from datetime import UTC

from django.db import migrations, models
from django.db.models import F, Max
from django.db.models.functions import ExtractYear


def number_existing(apps, schema_editor):
    Report = apps.get_model("incidents", "Report")
    Counter = apps.get_model("incidents", "IncidentCounter")
    Report.objects.update(seq=F("pk"), year=ExtractYear("received_at", tzinfo=UTC))
    Report.objects.filter(incident__is_exercise=True).update(is_exercise=True)
    highest = Report.objects.values("organisation_id", "year", "is_exercise").annotate(
        top=Max("seq")
    )
    for row in highest:
        Counter.objects.update_or_create(
            organisation_id=row["organisation_id"],
            year=row["year"],
            exercise=row["is_exercise"],
            series="report",
            defaults={"last": row["top"]},
        )


def forget_report_counters(apps, schema_editor):
    """Backwards: the counters go back to incidents only (one row per organisation, year, side)."""
    apps.get_model("incidents", "IncidentCounter").objects.filter(series="report").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0022_renormalise_indicators"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="incidentcounter",
            name="counter_unique_year",
        ),
        migrations.AddField(
            model_name="incidentcounter",
            name="series",
            field=models.CharField(
                choices=[("incident", "incident"), ("report", "report")],
                default="incident",
                max_length=8,
            ),
        ),
        migrations.AddConstraint(
            model_name="incidentcounter",
            constraint=models.UniqueConstraint(
                fields=("organisation", "year", "exercise", "series"), name="counter_unique_year"
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="is_exercise",
            field=models.BooleanField(default=False, verbose_name="exercise"),
        ),
        migrations.AddField(
            model_name="report",
            name="year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="year"),
        ),
        migrations.AddField(
            model_name="report",
            name="seq",
            field=models.PositiveIntegerField(null=True, verbose_name="number"),
        ),
        migrations.RunPython(number_existing, forget_report_counters),
    ]
