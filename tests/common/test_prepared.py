"""A prepared read answers what its QuerySet answers, compiles once per shape, and refuses what
it cannot bind (common/prepared.py, issue 20)."""

import pytest
from django.db import connection, transaction
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from accounts.models import ApiKey, User
from common.prepared import Prepared
from incidents.models import Indicator
from tests.factories import UserFactory


def _users(organisation_id, names):
    return (
        User.objects.filter(organisation_id=organisation_id, username__in=names)
        .select_related("organisation")
        .order_by("username")
    )


@pytest.fixture
def people(organisation):
    return [UserFactory(organisation=organisation, username=n) for n in ("aoki", "baba", "chiba")]


def test_a_prepared_read_returns_the_instances_the_queryset_returns(organisation, people):
    read = Prepared(_users)
    got = read(organisation.pk, ["chiba", "aoki"])
    expected = list(_users(organisation.pk, ["chiba", "aoki"]))
    assert [(u.pk, u.username, u.email) for u in got] == [
        (u.pk, u.username, u.email) for u in expected
    ]
    with CaptureQueriesContext(connection) as ctx:
        assert got[0].organisation.name == organisation.name  # came with the row
    assert not ctx.captured_queries


def test_values_list_rows_come_as_tuples_and_flat_ones_as_values(organisation, people):
    rows = Prepared(
        lambda org, name: User.objects.filter(organisation_id=org, username=name).values_list(
            "username", "organisation_id"
        )
    )
    flat = Prepared(
        lambda org: (
            User.objects.filter(organisation_id=org)
            .order_by("username")
            .values_list("username", flat=True)
        )
    )
    assert rows(organisation.pk, "baba") == [("baba", organisation.pk)]
    assert flat(organisation.pk) == ["aoki", "baba", "chiba"]


def test_a_shape_is_compiled_once_and_a_new_list_length_is_a_new_shape(
    organisation, people, monkeypatch
):
    compiled = []
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    read = Prepared(_users)
    for names in (["aoki"], ["baba"], ["chiba"]):
        assert [u.username for u in read(organisation.pk, names)] == names
    assert len(compiled) == 1
    assert [u.username for u in read(organisation.pk, ["aoki", "baba"])] == ["aoki", "baba"]
    assert len(compiled) == 2


def test_an_argument_that_does_not_reach_the_sql_is_refused(organisation):
    unused = Prepared(lambda org, name: User.objects.filter(organisation_id=org))
    with pytest.raises(TypeError, match="lost arguments"):
        unused(organisation.pk, "aoki")


def test_only_ints_and_strings_are_bound(organisation):
    read = Prepared(lambda flag: ApiKey.objects.filter(scope=flag))
    with pytest.raises(TypeError, match="ints and strings"):
        read(True)


def test_a_locking_read_keeps_its_lock_clause(organisation, people):
    locking = Prepared(
        lambda org: User.objects.filter(organisation_id=org).order_by("pk").select_for_update()
    )
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        assert len(locking(organisation.pk)) == 3
    assert ctx.captured_queries[-1]["sql"].endswith("FOR UPDATE")


def test_an_empty_answer_is_an_empty_list(organisation):
    read = Prepared(
        lambda org, kinds: Indicator.objects.filter(organisation_id=org, kind__in=kinds)
    )
    assert read(organisation.pk, ["URL", "SUBJECT"]) == []
