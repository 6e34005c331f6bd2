"""The cast of the tests: one organisation, a person per role, and an outsider."""

import pytest
from django.core.cache import cache

from accounts.roles import Role
from tests.factories import OrganisationFactory, RoleAssignmentFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness is not what the tests measure."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _sessions_outlive_time_travel(settings):
    """Tests move the clock by days around a signed-in client; a real person would sign in
    again. Only tests/accounts/test_sessions.py puts the real lifetimes back."""
    lifetime = 10**9
    settings.SESSION_IDLE_TIMEOUT_SECONDS = settings.SESSION_MAX_AGE_SECONDS = lifetime
    settings.SESSION_COOKIE_AGE = lifetime


@pytest.fixture(autouse=True)
def _two_factor_policy_off(settings):
    """The cast signs in with a password; tests/accounts/test_two_factor.py and the 2FA browser
    journey put the real policy (decision makers, the ISMS office, the CSIRT lead, staff) back."""
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = False


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
