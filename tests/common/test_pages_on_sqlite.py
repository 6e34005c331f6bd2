"""`make run` runs on SQLite: every page a signed-in person opens first must work there too, not
only on the PostgreSQL the rest of the suite uses (the one-query reads of issue 20 used
PostgreSQL-only SQL and turned every page into a 500 on `make run`)."""

from __future__ import annotations

import json

import pytest

from tests.common.stack import embedded_env, manage, migrate_embedded

pytestmark = pytest.mark.integration

PAGES = [
    "/",
    "/dashboard/incidents/",
    "/dashboard/reports/",
    "/dashboard/decisions/?status=open",
    "/dashboard/tasks/",
    "/dashboard/alerts/",
    "/triage/",
    "/statistics/",
    "/notifications/",
]

VISIT = """
import json
from django.test import Client
from accounts.services import organisation_create, role_assign, user_create
from incidents.services import intake, triage

org = organisation_create(name="組込株式会社")
office = user_create(organisation=org, username="office", password=None)
role_assign(organisation=org, role="ISMS_OFFICE", user=office)
first = intake.report_submit(organisation=org, actor=None, data=intake.ReportInput(
    sender="keiri@evil.example", subject="請求書", what_happened="OPENED_ATTACHMENT",
    reporter_email="a@example.com"))
incident = triage.event_promote(event=first.event, actor=office)
intake.report_submit(organisation=org, actor=None, data=intake.ReportInput(
    sender="keiri@evil.example", subject="請求書", what_happened="OPENED_ATTACHMENT",
    reporter_email="b@example.com"))
client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="ja")
client.force_login(office)
pages = %(pages)s + [f"/incidents/{incident.ref}/"]
print(json.dumps({page: client.get(page).status_code for page in pages}))
"""


def test_the_first_pages_and_a_joined_report_work_on_the_embedded_sqlite(tmp_path):
    env = embedded_env(tmp_path)
    migrate_embedded(env)
    done = manage("shell", "-c", VISIT % {"pages": json.dumps(PAGES)}, env=env)
    statuses = json.loads(done.stdout.splitlines()[-1])
    assert statuses and all(code == 200 for code in statuses.values()), statuses
