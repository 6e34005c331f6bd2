"""Timeline entries record the id of the HMAC key that signed them; TRUNCATE is refused.

The key id is empty for the entries written so far (plain SHA-256, "legacy"); 0013 closes each
legacy chain with a keyed entry. On PostgreSQL a statement trigger now refuses TRUNCATE like the
row trigger of 0002 refuses UPDATE and DELETE. Neither stops the table's owner, who can disable
triggers: the application connects as a role that owns nothing (docs/operations.md).
"""

from django.db import migrations, models

CREATE = """
DROP TRIGGER IF EXISTS incidents_timeline_no_truncate ON incidents_timelineentry;
CREATE TRIGGER incidents_timeline_no_truncate
    BEFORE TRUNCATE ON incidents_timelineentry
    FOR EACH STATEMENT EXECUTE FUNCTION incidents_timeline_append_only();
"""
DROP = "DROP TRIGGER IF EXISTS incidents_timeline_no_truncate ON incidents_timelineentry;"


def _run(sql: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("incidents", "0011_report_first")]

    operations = [
        migrations.AddField(
            model_name="timelineentry",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16, verbose_name="key id"),
        ),
        migrations.RunPython(_run(CREATE), _run(DROP)),
    ]
