"""Issue 12, item 7: the roster keeps someone who can fix it, and permission is checked first.

The ISMS office could remove every ISMS_OFFICE and DECISION_MAKER assignment, leaving an
organisation that cannot recover without a superuser; a write key deciding an already decided
decision heard 409 (state) before 403 (permission).
"""

import pytest
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import ApiKeyScope, RoleAssignment
from accounts.roles import Role
from bcp.services import decisions, roster_admin
from common.errors import Conflict
from tests.conftest import _holder

ESSENTIAL = [Role.ISMS_OFFICE, Role.DECISION_MAKER]


def _only(organisation, role):
    return RoleAssignment.objects.get(organisation=organisation, role=role)


@pytest.fixture
def office_api(isms_office):
    client = APIClient()
    client.force_login(isms_office)
    return client


# --- The last holder of an essential role ---------------------------------------------------


@pytest.mark.parametrize("role", ESSENTIAL)
def test_the_last_assignment_of_an_essential_role_cannot_be_removed(
    organisation, isms_office, decision_maker, role
):
    with pytest.raises(Conflict) as refused:
        roster_admin.role_assignment_remove(assignment=_only(organisation, role), actor=isms_office)
    assert refused.value.code == "LAST_HOLDER"
    assert refused.value.details == {"role": role}
    assert RoleAssignment.objects.filter(role=role).count() == 1


@pytest.mark.parametrize("role", ESSENTIAL)
def test_an_assignment_with_another_active_holder_can_be_removed(
    organisation, isms_office, decision_maker, role
):
    second = _holder(organisation, role, "second", priority=2)
    roster_admin.role_assignment_remove(
        assignment=RoleAssignment.objects.get(user=second), actor=isms_office
    )
    assert RoleAssignment.objects.filter(role=role).count() == 1


def test_a_deactivated_account_does_not_count_as_a_holder(organisation, isms_office):
    second = _holder(organisation, Role.ISMS_OFFICE, "gone", priority=2)
    second.is_active = False
    second.save()
    with pytest.raises(Conflict):
        roster_admin.role_assignment_remove(
            assignment=RoleAssignment.objects.get(user=isms_office), actor=isms_office
        )


def test_other_roles_may_lose_their_last_holder(organisation, isms_office, handler):
    roster_admin.role_assignment_remove(
        assignment=_only(organisation, Role.INCIDENT_HANDLER), actor=isms_office
    )
    assert not RoleAssignment.objects.filter(role=Role.INCIDENT_HANDLER).exists()


@pytest.mark.parametrize("role", ESSENTIAL)
def test_the_api_answers_409_last_holder(organisation, office_api, decision_maker, role):
    assignment = _only(organisation, role)
    response = office_api.delete(
        f"/api/v1/role-assignments/{assignment.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "LAST_HOLDER"
    assert response.json()["details"] == {"role": role}
    assert "at least one" in response.json()["message"]
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


@pytest.mark.parametrize("role", ESSENTIAL)
def test_the_roster_page_says_why_with_409(organisation, client, isms_office, decision_maker, role):
    assignment = _only(organisation, role)
    client.force_login(isms_office)
    response = client.post(f"/roster/assignments/{assignment.pk}/remove/?lang=en")
    assert response.status_code == 409
    assert "at least one" in response.text
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


# --- Permission before state ------------------------------------------------------------------


@pytest.fixture
def decided(incident, decision_maker):
    decision = decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
    return decisions.decision_decide(
        decision=decision, actor=decision_maker, outcome="APPROVED", rationale="必要"
    )


@pytest.fixture
def write_key_api(organisation, isms_office):
    _key, plain = account_services.api_key_create(
        organisation=organisation, actor=isms_office, name="SOAR", scope=ApiKeyScope.WRITE
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plain}")
    return client


def test_a_write_key_deciding_a_decided_decision_gets_403_not_409(write_key_api, decided):
    response = write_key_api.post(
        f"/api/v1/decisions/{decided.pk}/decide/",
        {"outcome": "DECLINED", "rationale": "やめる"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "NOT_ELIGIBLE"


def test_a_write_key_ratifying_gets_403_whatever_the_state(write_key_api, decided):
    response = write_key_api.post(f"/api/v1/decisions/{decided.pk}/ratify/", format="json")
    assert response.status_code == 403


def test_an_eligible_holder_still_hears_that_it_was_decided(decided, deputy, client):
    client.force_login(deputy)
    response = client.post(
        f"/api/v1/decisions/{decided.pk}/decide/",
        {"outcome": "DECLINED", "rationale": "やめる"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "DECISION_ALREADY_DECIDED"


def test_a_holder_asked_to_ratify_what_needs_none_hears_409(decided, deputy, client):
    client.force_login(deputy)
    response = client.post(f"/api/v1/decisions/{decided.pk}/ratify/")
    assert response.status_code == 409
    assert response.json()["code"] == "NOTHING_TO_RATIFY"
