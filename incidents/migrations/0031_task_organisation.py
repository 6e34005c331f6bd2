"""The task's organisation on the task (issue 20: the dashboard's overdue count from one index)."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE incidents_task AS task SET organisation_id = incident.organisation_id
FROM incidents_incident AS incident WHERE incident.id = task.incident_id
"""


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("incidents", "0030_report_numbered_last"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=False),
        migrations.AlterField(
            model_name="task",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                fields=["organisation", "status", "due_at"],
                include=["incident"],
                name="task_org_status_due",
            ),
        ),
    ]
