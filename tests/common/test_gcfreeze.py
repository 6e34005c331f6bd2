"""A web process freezes what it holds after its first requests (common.gcfreeze, issue 20)."""

import gc

import pytest
from django.test import override_settings

from common import gcfreeze


@pytest.fixture
def unfrozen():
    gc.unfreeze()  # the test worker may have frozen already, after other tests' requests
    gcfreeze.forget()
    yield
    gcfreeze.forget()


@override_settings(GC_FREEZE_AFTER_REQUESTS=3)
def test_the_process_freezes_its_objects_once_it_has_served_the_threshold_of_requests(
    client, unfrozen
):
    for _ in range(2):
        client.get("/healthz")
    assert gc.get_freeze_count() == 0
    client.get("/healthz")
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # the modules, URL patterns and templates of a Django process
    for _ in range(3):
        client.get("/healthz")
    # Once: the requests after it freeze nothing more (a second freeze would take the
    # thousands of objects they left); a frozen object that is freed leaves the count.
    assert abs(gc.get_freeze_count() - frozen) < 100


@override_settings(GC_FREEZE_AFTER_REQUESTS=3)
def test_a_full_collection_after_the_freeze_walks_only_what_came_later(client, unfrozen):
    for _ in range(3):
        client.get("/healthz")
    assert gc.get_freeze_count() > 10_000
    assert len(gc.get_objects(generation=2)) < gc.get_freeze_count() / 10
