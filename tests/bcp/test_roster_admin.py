"""The roster services: only the ISMS office changes the roster, and windows and ranks hold."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Absence, Delegation, RoleAssignment
from bcp.services import roster_admin
from common.errors import Conflict, Forbidden, InvalidInput

NOW = timezone.now()


def test_the_office_adds_a_deputy_with_a_limited_scope(organisation, isms_office, reporter):
    assignment = roster_admin.role_assignment_add(
        organisation=organisation,
        actor=isms_office,
        role="DECISION_MAKER",
        user=reporter,
        priority=3,
        authority_scope=["ESTABLISH_IRT", "ESTABLISH_IRT"],
    )
    assert (assignment.priority, assignment.authority_scope) == (3, ["ESTABLISH_IRT"])


@pytest.mark.parametrize("who", ["handler", "decision_maker", "outsider"])
def test_nobody_but_the_office_changes_the_roster(request, organisation, reporter, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(Forbidden):
        roster_admin.role_assignment_add(
            organisation=organisation, actor=actor, role="PR", user=reporter, priority=1
        )
    with pytest.raises(Forbidden):
        roster_admin.absence_add(
            actor=actor, user=reporter, starts_at=NOW, ends_at=NOW + timedelta(hours=1)
        )
    assert not RoleAssignment.objects.filter(user=reporter).exists()


def test_unknown_decision_types_in_a_scope_are_refused(organisation, isms_office, reporter):
    with pytest.raises(InvalidInput) as refused:
        roster_admin.role_assignment_add(
            organisation=organisation,
            actor=isms_office,
            role="DECISION_MAKER",
            user=reporter,
            priority=2,
            authority_scope=["LAUNCH_ROCKETS"],
        )
    assert refused.value.details["field"] == "authority_scope"


def test_moving_a_holder_to_a_taken_rank_is_a_conflict(isms_office, decision_maker, deputy):
    assignment = RoleAssignment.objects.get(user=deputy)
    with pytest.raises(Conflict) as refused:
        roster_admin.role_assignment_update(assignment=assignment, actor=isms_office, priority=1)
    assert refused.value.code == "RANK_TAKEN"
    moved = roster_admin.role_assignment_update(
        assignment=assignment, actor=isms_office, priority=5
    )
    assert moved.priority == 5


@pytest.mark.parametrize("hours", [0, -1])
def test_an_absence_must_end_after_it_starts(isms_office, deputy, hours):
    with pytest.raises(InvalidInput) as refused:
        roster_admin.absence_add(
            actor=isms_office, user=deputy, starts_at=NOW, ends_at=NOW + timedelta(hours=hours)
        )
    assert refused.value.code == "WINDOW_ENDS_BEFORE_START"
    assert not Absence.objects.exists()


def test_an_absence_of_someone_of_another_organisation_is_refused(isms_office, outsider):
    with pytest.raises(InvalidInput):
        roster_admin.absence_add(
            actor=isms_office, user=outsider, starts_at=NOW, ends_at=NOW + timedelta(hours=1)
        )


def test_a_delegation_window_must_end_after_it_starts(
    organisation, isms_office, decision_maker, csirt_lead
):
    with pytest.raises(InvalidInput) as refused:
        roster_admin.delegation_add(
            organisation=organisation,
            actor=isms_office,
            role="DECISION_MAKER",
            delegator=decision_maker,
            delegate=csirt_lead,
            starts_at=NOW,
            ends_at=NOW - timedelta(minutes=1),
        )
    assert refused.value.code == "WINDOW_ENDS_BEFORE_START"
    assert not Delegation.objects.exists()


def test_a_delegation_is_moved_and_removed(organisation, isms_office, decision_maker, csirt_lead):
    delegation = roster_admin.delegation_add(
        organisation=organisation,
        actor=isms_office,
        role="DECISION_MAKER",
        delegator=decision_maker,
        delegate=csirt_lead,
        starts_at=NOW,
        ends_at=NOW + timedelta(hours=1),
        reason="  海外出張 ",
    )
    assert delegation.reason == "海外出張"
    moved = roster_admin.delegation_update(
        delegation=delegation, actor=isms_office, ends_at=NOW + timedelta(days=1)
    )
    assert moved.ends_at == NOW + timedelta(days=1)
    with pytest.raises(InvalidInput):
        roster_admin.delegation_update(
            delegation=delegation, actor=isms_office, starts_at=NOW + timedelta(days=2)
        )
    roster_admin.delegation_remove(delegation=delegation, actor=isms_office)
    assert not Delegation.objects.exists()


@pytest.mark.parametrize("role", ["ISMS_OFFICE", "DECISION_MAKER"])
def test_the_last_holder_of_the_office_or_the_decision_maker_is_kept(
    organisation, isms_office, decision_maker, reporter, role
):
    last = RoleAssignment.objects.get(organisation=organisation, role=role)
    with pytest.raises(Conflict) as refused:
        roster_admin.role_assignment_remove(assignment=last, actor=isms_office)
    assert refused.value.code == "LAST_HOLDER"
    roster_admin.role_assignment_add(
        organisation=organisation, actor=isms_office, role=role, user=reporter, priority=2
    )
    roster_admin.role_assignment_remove(assignment=last, actor=isms_office)
    assert not RoleAssignment.objects.filter(pk=last.pk).exists()


def test_the_last_holder_of_another_role_may_go(organisation, isms_office, csirt_lead):
    last = RoleAssignment.objects.get(user=csirt_lead)
    roster_admin.role_assignment_remove(assignment=last, actor=isms_office)
    assert not RoleAssignment.objects.filter(pk=last.pk).exists()
