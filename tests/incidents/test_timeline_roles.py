"""The database refuses to rewrite the timeline: TRUNCATE for everyone, and the application's
role (``isms_app``, set up by ``grant_app_role`` as in production) owns nothing, so it can
neither switch the triggers off nor truncate, update or delete entries."""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import psycopg2
import pytest
from django.db import DatabaseError, connection, transaction
from psycopg2 import errors

from incidents.services.timeline import timeline_verify
from tests.common.stack import REPO_ROOT
from tests.conftest import APP_ROLE, APP_ROLE_PASSWORD

TABLE = "incidents_timelineentry"


@pytest.mark.django_db(transaction=True)  # no pending constraint checks of the test's inserts
def test_truncating_the_timeline_is_refused_even_for_its_owner(incident):
    with (
        pytest.raises(DatabaseError, match="append-only \\(TRUNCATE refused\\)"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"TRUNCATE {TABLE}")
    assert timeline_verify(incident=incident).ok


# The role's own connection sees only committed rows: these tests commit.
as_the_app_role = pytest.mark.django_db(transaction=True)


@pytest.fixture
def app_role():
    """A second connection to the test database as the application's role."""
    params = connection.get_connection_params()
    params.update(user=APP_ROLE, password=APP_ROLE_PASSWORD)
    params.pop("cursor_factory", None)
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SET lock_timeout = '5s'")
    yield conn
    conn.close()


def _refused(conn, statement: str, params: tuple = ()) -> str:
    with pytest.raises(errors.InsufficientPrivilege) as refused, conn.cursor() as cursor:
        cursor.execute(statement, params)
    return str(refused.value)


@as_the_app_role
@pytest.mark.parametrize(
    "statement",
    [
        f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL",
        f"ALTER TABLE {TABLE} DISABLE TRIGGER incidents_timeline_append_only",
        f"DROP TRIGGER incidents_timeline_no_truncate ON {TABLE}",
    ],
)
def test_the_app_role_cannot_disable_or_drop_the_triggers(app_role, incident, statement):
    assert "must be owner" in _refused(app_role, statement)


@as_the_app_role
def test_the_app_role_cannot_truncate_update_or_delete_entries(app_role, incident):
    count = incident.timeline.count()
    for statement in (
        "TRUNCATE incidents_timelineentry",
        "UPDATE incidents_timelineentry SET kind = 'x'",
        "DELETE FROM incidents_timelineentry",
        "SET session_replication_role = replica",  # what switches triggers off per session
    ):
        assert "permission denied" in _refused(app_role, statement)
    assert incident.timeline.count() == count
    assert timeline_verify(incident=incident).ok


@as_the_app_role
def test_the_app_role_owns_nothing_and_is_not_privileged(app_role, incident):
    with app_role.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles "
            "WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False, False)
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tableowner = current_user")
        assert cursor.fetchone() == (0,)
        cursor.execute(f"SELECT has_table_privilege('{TABLE}', 'INSERT')")
        assert cursor.fetchone() == (True,)


@as_the_app_role
def test_the_application_works_as_the_app_role(incident, settings, tmp_path):
    """The app appends and verifies through its role: the grants are enough to run it."""
    db = connection.settings_dict
    url = f"postgres://{APP_ROLE}:{APP_ROLE_PASSWORD}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    keys = ",".join(
        f"{key_id}:{base64.b64encode(key).decode()}"
        for key_id, key in settings.TIMELINE_HMAC_KEYS.items()
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TIMELINE_HMAC_KEYS": keys,
        "TIMELINE_HMAC_KEY_ID": settings.TIMELINE_HMAC_KEY_ID,
        "TIMELINE_ANCHOR_DIR": str(tmp_path),
    }
    script = (
        "from incidents.models import Incident\n"
        "from incidents.services.timeline import timeline_append\n"
        f"incident = Incident.objects.get(pk={incident.pk})\n"
        "timeline_append(incident=incident, kind='note', payload={'by': 'app role'})\n"
    )
    for args in (["shell", "-c", script], ["verify_timeline", incident.ref]):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    assert f"{incident.ref}: ok" in result.stdout
    assert incident.timeline.order_by("-seq").first().payload == {"by": "app role"}
