"""The incident search (``incidents.selectors.incident_search``) on PostgreSQL: pg_trgm and a
GIN trigram index per searched column.

Django writes ``icontains`` as ``UPPER(col::text) LIKE UPPER('%…%')``, so each index is on that
expression; the planner then reads the few matching rows from the index instead of scanning the
table. SQLite (the quick start of ``make run``) gets neither: there the search scans, which is
fine at its size. The indexes are not declared in the models' Meta for that reason.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# (index name, table, column)
INDEXES = [
    ("inc_search_ref", "incidents_incident", "ref"),
    ("inc_search_title", "incidents_incident", "title"),
    ("inc_search_description", "incidents_incident", "description"),
    ("mail_search_sender", "incidents_mailmessage", "sender"),
    ("mail_search_subject", "incidents_mailmessage", "subject"),
    ("report_search_sender", "incidents_report", "sender"),
    ("report_search_subject", "incidents_report", "subject"),
    ("report_search_reporter_name", "incidents_report", "reporter_name"),
    ("report_search_reporter_email", "incidents_report", "reporter_email"),
    ("ind_search_value", "incidents_indicator", "value"),
    ("asset_search_tag", "incidents_asset", "asset_tag"),
    ("asset_search_hostname", "incidents_asset", "hostname"),
]

CREATE = [
    f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER(("{column}")::text)) gin_trgm_ops)'
    for name, table, column in INDEXES
]
DROP = [f"DROP INDEX IF EXISTS {name}" for name, _table, _column in INDEXES]


def _run(statements: list[str]):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("incidents", "0017_incident_relation")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(_run(CREATE), _run(DROP)),
    ]
