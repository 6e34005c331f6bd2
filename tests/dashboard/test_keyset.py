"""Keyset pagination: walking every page gives every row once, in order, ties and NULLs too."""

from datetime import timedelta

import pytest

from dashboard import keyset
from incidents.models import Incident, Task

pytestmark = pytest.mark.django_db


def _walk(queryset, ordering, size):
    seen, cursor, pages = [], "", 0
    while True:
        page = keyset.paginate(queryset, ordering=ordering, cursor=cursor, size=size)
        seen += [row.pk for row in page.rows]
        pages += 1
        assert page.is_first == (cursor == "")
        if not page.has_next:
            return seen, pages
        cursor = page.next_cursor


def test_walking_a_descending_list_with_ties_visits_each_row_once_in_order(seed):
    same = seed.now - timedelta(hours=1)
    seed.incidents(4, declared_at=same)
    seed.incidents(5)
    rows = Incident.objects.all()
    expected = list(rows.order_by("-declared_at", "-id").values_list("pk", flat=True))
    seen, pages = _walk(rows, keyset.Ordering("declared_at"), size=2)
    assert seen == expected
    assert pages == 5


def test_ascending_with_nulls_last_ends_with_the_rows_without_a_value(seed):
    incident = seed.incidents(1)[0]
    seed.tasks(incident, 4, due_in=timedelta(hours=1))
    Task.objects.bulk_create(Task(incident=incident, title=f"期限なし {i}") for i in range(3))
    ordering = keyset.Ordering("due_at", descending=False, nulls_last=True)
    seen, _ = _walk(Task.objects.all(), ordering, size=2)
    dated = list(
        Task.objects.filter(due_at__isnull=False)
        .order_by("due_at", "id")
        .values_list("pk", flat=True)
    )
    undated = list(
        Task.objects.filter(due_at__isnull=True).order_by("id").values_list("pk", flat=True)
    )
    assert seen == dated + undated


def test_an_id_ordering_pages_by_the_primary_key(seed):
    seed.incidents(5)
    seen, pages = _walk(Incident.objects.all(), keyset.Ordering("id"), size=2)
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == 5
    assert pages == 3


@pytest.mark.parametrize(
    "cursor", ["%%%", "bm90IGpzb24", "WzEsInR3byJd", "WyJ4IiwxXQ", "W251bGwsMV0"]
)
def test_a_cursor_that_is_not_ours_starts_at_the_top(seed, cursor):
    seed.incidents(3)
    page = keyset.paginate(
        Incident.objects.all(), ordering=keyset.Ordering("declared_at"), cursor=cursor
    )
    assert page.is_first
    assert len(page.rows) == 3


def test_the_cursor_round_trips_a_datetime_key(seed):
    row = seed.incidents(1)[0]
    ordering = keyset.Ordering("declared_at")
    cursor = keyset.encode(Incident, ordering, row)
    assert keyset.decode(Incident, ordering, cursor) == (row.declared_at, row.pk)
