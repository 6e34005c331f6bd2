"""The cast of the tests: one organisation, a person per role, and an outsider.

Also the database set-up of production's two roles: the suite migrates as the owner (the
superuser of TEST_DATABASE_URL) and creates the application role ``isms_app`` with
``grant_app_role``; the tamper tests connect as it (``app_role_connection``).
"""

import importlib
import json
import os
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError
from django.db.backends.postgresql.operations import DatabaseOperations
from hypothesis import settings as hypothesis_settings
from pytest_django.plugin import blocking_manager_key

from accounts.roles import Role
from tests.factories import OrganisationFactory, RoleAssignmentFactory, UserFactory

PASSWORD = "correct-horse-battery"
APP_ROLE = "isms_app"
APP_ROLE_PASSWORD = "isms-app-test-only"

# Hypothesis fails an example slower than 200 ms by default: a wall-clock assertion that a loaded
# machine breaks. Properties here are about results, never about speed (tests/README.md).
hypothesis_settings.register_profile("isms-csirt", deadline=None)
hypothesis_settings.load_profile("isms-csirt")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as production sets it up: migrated by the owner, then the app role."""
    with (
        django_db_blocker.unblock(),
        mock.patch.dict(os.environ, {"ISMS_TEST_APP_ROLE_PASSWORD": APP_ROLE_PASSWORD}),
    ):
        for attempt in range(3):  # the role is cluster-wide: parallel suites may race on it
            try:
                call_command("grant_app_role", APP_ROLE, password_env="ISMS_TEST_APP_ROLE_PASSWORD")
                break
            except DatabaseError:
                if attempt == 2:
                    raise


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_truncate_guard():
    """Transactional tests end by emptying every table, which the timeline refuses (migration
    incidents 0012). The tests' owner role is a superuser and resets the test database as a DBA
    would: with triggers (foreign keys included) off for that transaction only.

    ``DELETE FROM`` each table rather than Django's one ``TRUNCATE`` of all of them: a TRUNCATE
    gives each of the ~120 tables and their indexes new files, about 1–5 s per test, where
    deleting the few rows a test wrote takes a tenth of that (CI time, issue 20). Sequences are
    reset only when a test asks for it (then the TRUNCATE, which does that)."""
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables:
            return []
        if reset_sequences:
            sql = original(self, style, tables, reset_sequences=True, allow_cascade=allow_cascade)
        else:
            # Table names from the models, quoted: no outside input.
            sql = [f"DELETE FROM {self.quote_name(table)};" for table in tables]  # noqa: S608
        return ["SET LOCAL session_replication_role = replica", *sql]

    with mock.patch.object(DatabaseOperations, "sql_flush", sql_flush):
        yield


_TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _emptied_every_table(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool(_TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def _seed_catalogues() -> None:
    """The rows the data migrations seed: the Annex A controls and the CSIRT functions."""
    importlib.import_module("isms.migrations.0002_annex_a_catalogue").seed(django_apps, None)
    importlib.import_module("training.migrations.0006_seed_csirt_functions").seed(django_apps, None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by emptying every table, the migrations' catalogues included.
    Serially pytest-django runs those tests last; under pytest-xdist a worker runs them among the
    others, so the catalogues are put back after each one for whichever test comes next."""
    yield
    # Without a next test the session's teardown has just dropped the test database.
    if nextitem is not None and _emptied_every_table(item):
        with item.config.stash[blocking_manager_key].unblock():
            _seed_catalogues()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness is not what the tests measure."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _sessions_outlive_time_travel(settings):
    """Tests move the clock by days around a signed-in client; a real person would sign in
    again. Only tests/accounts/test_sessions.py puts the real lifetimes back.

    The activity mark is written once per session too: otherwise a request more than a minute
    after the previous one (a slow machine building 100 rows between them) writes the session,
    and a test that counts a request's queries would count that write."""
    lifetime = 10**9
    settings.SESSION_IDLE_TIMEOUT_SECONDS = settings.SESSION_MAX_AGE_SECONDS = lifetime
    settings.SESSION_COOKIE_AGE = lifetime
    settings.SESSION_SEEN_RESOLUTION_SECONDS = lifetime


@pytest.fixture(autouse=True)
def _two_factor_policy_off(settings):
    """The cast signs in with a password; tests/accounts/test_two_factor.py and the 2FA browser
    journey put the real policy (decision makers, the ISMS office, the CSIRT lead, staff) back."""
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = False
    settings.TWO_FACTOR_REQUIRED_FOR_GUESTS = False


@pytest.fixture(autouse=True)
def _anchor_dir(settings, tmp_path):
    """Checkpoint files of one test (organisation ids repeat between runs) stay in that test."""
    settings.TIMELINE_ANCHOR_DIR = tmp_path / "anchors"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="テスト株式会社")


def _holder(organisation, role: str, username: str, priority: int = 1):
    user = UserFactory(organisation=organisation, username=username)
    RoleAssignmentFactory(organisation=organisation, user=user, role=role, priority=priority)
    return user


@pytest.fixture
def reporter(organisation):
    return UserFactory(organisation=organisation, username="reporter")


@pytest.fixture
def handler(organisation):
    return _holder(organisation, Role.INCIDENT_HANDLER, "handler")


@pytest.fixture
def isms_office(organisation):
    return _holder(organisation, Role.ISMS_OFFICE, "isms")


@pytest.fixture
def csirt_lead(organisation):
    return _holder(organisation, Role.CSIRT_LEAD, "csirt")


@pytest.fixture
def decision_maker(organisation):
    return _holder(organisation, Role.DECISION_MAKER, "president")


@pytest.fixture
def deputy(organisation):
    return _holder(organisation, Role.DECISION_MAKER, "deputy", priority=2)


@pytest.fixture
def outsider(db):
    """A user of another organisation: must see nothing of ours."""
    return UserFactory(username="outsider")


def refused(client, response, to: str) -> str:
    """A refused form (``common.prg``) redirected back to its page ``to``; the page's text,
    which shows the message and what was typed, once."""
    assert response.status_code == 302, response.status_code
    assert response["Location"].split("#")[0] == to
    return client.get(response["Location"]).text


_WEIGHTS = Path(__file__).resolve().parent / "file_weights.json"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest files first (CI time, issue 20): pytest-xdist hands out whole files in this
    order (``--no-loadscope-reorder`` in the Makefile), so the long browser, stack and scale-out
    files no longer start last and leave one worker alone at the end. The weights are the
    seconds of a previous run (scripts/test_weights.py); a file not in it counts as its number
    of tests times a typical test. Within a file pytest-django's order stands; transactional
    tests need not run last, since the catalogues are seeded again after each (above)."""
    weights = json.loads(_WEIGHTS.read_text()) if _WEIGHTS.exists() else {}
    per_test = 0.2  # weight of a typical test in file_weights.json (1000 / ~4 700 tests)
    by_file: dict[str, list[pytest.Item]] = {}
    for item in items:
        by_file.setdefault(item.nodeid.split("::", 1)[0], []).append(item)

    def weight(name: str) -> float:
        return weights.get(name, per_test * len(by_file[name]))

    items[:] = [
        item for name in sorted(by_file, key=weight, reverse=True) for item in by_file[name]
    ]
