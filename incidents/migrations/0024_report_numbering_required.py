"""The report numbers filled in by 0023 are required and unique per organisation, kind and
year (a separate migration: PostgreSQL alters the table after the data migration's commit)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0023_report_numbering"),
    ]

    operations = [
        migrations.AlterField(
            model_name="report",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="year"),
        ),
        migrations.AlterField(
            model_name="report",
            name="seq",
            field=models.PositiveIntegerField(verbose_name="number"),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                fields=("organisation", "is_exercise", "year", "seq"),
                name="report_unique_seq_per_year",
            ),
        ),
    ]
