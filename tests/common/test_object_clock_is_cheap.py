"""Issue 20: the exercise clock's middleware looks at a URL only when it may name an exercise
object; every other page is served without resolving the URL a second time or asking the
database."""

from unittest import mock

import pytest

from common import clock


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/dashboard/incidents/",
        "/incidents/INC-2026-0001/",
        "/api/v1/incidents/INC-2026-0001/timeline/",
        "/statistics/",
        "/metrics",
    ],
)
def test_a_path_without_a_pk_or_an_exercise_reference_names_no_object(path):
    assert not clock.may_name_object(path)


@pytest.mark.parametrize(
    "path",
    [
        "/incidents/EX-2026-0001/",
        "/api/v1/incidents/EX-2026-0001/decisions/",
        "/decisions/12/",
        "/training/exercises/3/advance/",
    ],
)
def test_a_path_with_a_pk_or_an_exercise_reference_may_name_one(path):
    assert clock.may_name_object(path)


def test_a_real_page_is_served_without_resolving_its_url_in_the_middleware(client, db):
    with mock.patch("common.middleware.resolve") as resolve:
        client.get("/dashboard/incidents/")
    resolve.assert_not_called()
