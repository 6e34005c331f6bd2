"""The search's first read runs without PostgreSQL's parallel workers (issue 20).

Starting them cost 18–28 ms of a 20–30 ms read whose index reads take about 2 ms
(bench/README.md). ``SET LOCAL`` lasts to the end of the transaction: a test's own transaction
shows what the read ran with.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents import selectors

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel query: PostgreSQL only"
)


def _workers() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        return cursor.fetchone()[0]


def test_the_search_ids_are_read_without_parallel_workers(db):
    assert _workers() != "0"  # the server's default, before the search
    with CaptureQueriesContext(connection) as reads:
        selectors.incident_search("a text nothing contains 4711")
    assert _workers() == "0"
    # The setting is not a read of its own: the search still counts its two.
    assert len(reads) == 2
    assert not any("max_parallel" in read["sql"] for read in reads)


def test_serial_reads_sets_it_before_each_statement(db):
    with selectors.serial_reads():
        assert _workers() == "0"
