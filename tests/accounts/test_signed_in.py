"""The signed-in user's read, compiled once per thread (issue 20), answers as its QuerySet."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import selectors


def test_the_prepared_read_is_the_querysets(isms_office, handler):
    for user in (isms_office, handler):
        expected = selectors._signed_in_rows().get(pk=user.pk)
        with CaptureQueriesContext(connection) as reads:
            found = selectors.signed_in_user(user.pk)
            assert found.organisation.name == expected.organisation.name
        assert len(reads) == 1  # user, organisation, roles and the extras in one read
        assert found.pk == user.pk and found.username == expected.username
        for name in [selectors.ASSIGNMENTS, *selectors.SIGNED_IN_EXTRAS]:
            assert getattr(found, name, None) == getattr(expected, name, None), name
        assert [a.role for a in selectors.role_assignments_of(found)] == [
            a.role for a in selectors.role_assignments_of(expected)
        ]


def test_an_unknown_or_odd_id_is_nobody(db):
    assert selectors.signed_in_user(987654321) is None
