from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Absence
from accounts.roles import Role
from tests.conftest import _holder
from tests.incidents.conftest import (  # noqa: F401
    PHISH,
    file_report,
    incident,
)


@pytest.fixture
def third(organisation):
    """A CSIRT lead who may take containment decisions only (D-3 default chain, rank 3)."""
    from accounts.models import RoleAssignment

    user = _holder(organisation, Role.CSIRT_LEAD, "lead3")
    RoleAssignment.objects.create(
        organisation=organisation,
        role=Role.DECISION_MAKER,
        user=user,
        priority=3,
        authority_scope=["ESTABLISH_IRT", "ACTIVATE_CYBER_BCP", "CUT_ALL_EXTERNAL_NETWORK"],
    )
    return user


@pytest.fixture
def absent():
    def _absent(user, hours=8):
        now = timezone.now()
        return Absence.objects.create(
            user=user,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=hours),
            reason="出張",
        )

    return _absent


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The cast's passwords are hashed at every test; the production hasher (PBKDF2, ~1M
    rounds) would make each fixture world cost seconds. Nothing here tests hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
