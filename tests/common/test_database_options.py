"""The app's PostgreSQL sessions plan without parallel workers (issue 20): on a few cores busy
with requests, starting them cost more than they saved (bench/README, session 8)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_app_s_database_sessions_start_no_parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
