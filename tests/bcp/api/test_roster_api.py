"""The roster over the API: the ISMS office adds, changes and removes; the rules answer 400/409."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Absence, Delegation, RoleAssignment
from tests.bcp.api.conftest import API, later


@pytest.fixture
def office(client_for, isms_office):
    return client_for("isms_office")


def test_the_office_gives_a_role_at_a_rank_with_a_scope(office, reporter, organisation):
    body = {"role": "DECISION_MAKER", "user": reporter.pk, "priority": 3,
            "authority_scope": ["ESTABLISH_IRT", "CUT_ALL_EXTERNAL_NETWORK"]}  # fmt: skip
    response = office.post(f"{API}/role-assignments/", body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["role"], created["priority"], created["user"]["id"]) == (
        "DECISION_MAKER",
        3,
        reporter.pk,
    )
    assert created["authority_scope"] == ["ESTABLISH_IRT", "CUT_ALL_EXTERNAL_NETWORK"]
    assert RoleAssignment.objects.filter(organisation=organisation, user=reporter).count() == 1


def test_a_taken_rank_is_409_and_a_second_holding_of_the_role_too(office, reporter, decision_maker):
    taken = office.post(
        f"{API}/role-assignments/",
        {"role": "DECISION_MAKER", "user": reporter.pk, "priority": 1},
        format="json",
    )
    assert (taken.status_code, taken.json()["code"]) == (409, "RANK_TAKEN")
    twice = office.post(
        f"{API}/role-assignments/",
        {"role": "DECISION_MAKER", "user": decision_maker.pk, "priority": 5},
        format="json",
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "ALREADY_HOLDS_ROLE")


def test_people_of_another_organisation_cannot_be_named(office, outsider):
    response = office.post(
        f"{API}/role-assignments/", {"role": "PR", "user": outsider.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["details"]["field"] == "user"


def test_a_patch_changes_rank_and_scope_and_refuses_other_fields(office, deputy):
    assignment = RoleAssignment.objects.get(user=deputy)
    url = f"{API}/role-assignments/{assignment.pk}/"
    changed = office.patch(url, {"priority": 4, "authority_scope": []}, format="json")
    assert changed.status_code == 200
    assert changed.json()["priority"] == 4
    refused = office.patch(url, {"role": "PR"}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (400, "field_not_editable")


def test_an_absence_window_must_end_after_it_starts_and_nothing_is_written(office, deputy):
    body = {"user": deputy.pk, "starts_at": later(5), "ends_at": later(1)}
    response = office.post(f"{API}/absences/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "WINDOW_ENDS_BEFORE_START"
    assert response.json()["details"]["field"] == "ends_at"
    assert not Absence.objects.exists()


def test_absences_filter_by_the_moment_they_are_in_force(office, deputy, decision_maker):
    now = timezone.now()
    Absence.objects.create(
        user=deputy, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    Absence.objects.create(
        user=decision_maker, starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=2)
    )
    current = office.get(f"{API}/absences/", {"active_at": now.isoformat()}).json()["results"]
    assert [a["user"]["id"] for a in current] == [deputy.pk]
    mine = office.get(f"{API}/absences/", {"user": decision_maker.pk}).json()["results"]
    assert len(mine) == 1


def test_an_absence_can_be_moved_but_not_inverted(office, deputy):
    absence = Absence.objects.create(
        user=deputy, starts_at=timezone.now(), ends_at=timezone.now() + timedelta(hours=2)
    )
    url = f"{API}/absences/{absence.pk}/"
    moved = office.patch(url, {"ends_at": later(8), "reason": "通院"}, format="json")
    assert moved.status_code == 200
    assert moved.json()["reason"] == "通院"
    inverted = office.patch(url, {"starts_at": later(9)}, format="json")
    assert inverted.json()["code"] == "WINDOW_ENDS_BEFORE_START"


def test_only_a_holder_of_the_role_can_delegate_it_and_not_to_themselves(
    office, decision_maker, reporter
):
    def delegate(delegator, to):
        body = {"role": "DECISION_MAKER", "delegator": delegator.pk, "delegate": to.pk,
                "starts_at": later(1), "ends_at": later(5)}  # fmt: skip
        return office.post(f"{API}/delegations/", body, format="json")

    assert delegate(reporter, decision_maker).json()["code"] == "DELEGATOR_NOT_HOLDER"
    assert delegate(decision_maker, decision_maker).json()["code"] == "DELEGATE_IS_DELEGATOR"
    created = delegate(decision_maker, reporter)
    assert created.status_code == 201
    assert created.json()["delegate"]["id"] == reporter.pk
    assert Delegation.objects.count() == 1


def test_removing_an_assignment_takes_the_person_out_of_the_chain(office, decision_maker, deputy):
    assignment = RoleAssignment.objects.get(user=deputy)
    assert office.delete(f"{API}/role-assignments/{assignment.pk}/").status_code == 204
    assert not RoleAssignment.objects.filter(user=deputy).exists()
