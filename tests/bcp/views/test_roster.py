"""The roster page: chains, absences and delegations, who holds each role at a moment, and
the ISMS office's forms."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Absence, Delegation, RoleAssignment
from tests.factories import RoleAssignmentFactory


def _local(at):
    return timezone.localtime(at).strftime("%Y-%m-%dT%H:%M")


def _role(page, role):
    return next(r for r in page.context["roles"] if r.role == role)


def test_the_roster_at_a_moment_shows_who_is_absent_and_who_stands_in(
    as_user, isms_office, organisation, decision_maker, deputy, csirt_lead, absent
):
    absence = absent(decision_maker, hours=4)
    start = timezone.now() + timedelta(hours=6)
    Delegation.objects.create(
        organisation=organisation,
        role="DECISION_MAKER",
        delegator=decision_maker,
        delegate=csirt_lead,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        reason="海外出張",
    )
    client = as_user(isms_office)

    now = client.get("/roster/", HTTP_ACCEPT_LANGUAGE="en")
    assert now.status_code == 200
    role = _role(now, "DECISION_MAKER")
    assert role.first.user == deputy
    assert [h.absent for h in role.holders] == [True, False]
    assert "absent" in now.text
    assert absence.reason in now.text

    during = client.get(
        "/roster/", {"at": _local(start + timedelta(minutes=30))}, HTTP_ACCEPT_LANGUAGE="en"
    )
    role = _role(during, "DECISION_MAKER")
    assert role.first.user == csirt_lead
    assert f"standing in for {decision_maker}" in during.text


def test_a_role_with_no_available_holder_is_flagged(
    as_user, isms_office, decision_maker, deputy, absent
):
    absent(decision_maker)
    absent(deputy)
    page = as_user(isms_office).get("/roster/", HTTP_ACCEPT_LANGUAGE="en")
    assert _role(page, "DECISION_MAKER").uncovered
    assert "No available holder" in page.text


def test_a_bad_moment_falls_back_to_now_and_says_why(as_user, isms_office):
    page = as_user(isms_office).get("/roster/", {"at": "いつか"})
    assert page.status_code == 200
    assert page.context["moment"].errors


def test_the_office_adds_a_holder_an_absence_and_a_delegation(
    as_user, isms_office, organisation, decision_maker, reporter
):
    client = as_user(isms_office)
    added = client.post(
        "/roster/assignments/",
        {"role": "DECISION_MAKER", "user": reporter.pk, "priority": 2,
         "authority_scope": ["ESTABLISH_IRT"]},
    )  # fmt: skip
    assert added.status_code == 302
    assert RoleAssignment.objects.get(user=reporter).authority_scope == ["ESTABLISH_IRT"]
    start = timezone.now() + timedelta(days=1)
    window = {"starts_at": _local(start), "ends_at": _local(start + timedelta(days=2))}
    assert (
        client.post("/roster/absences/", {"user": decision_maker.pk, **window}).status_code == 302
    )
    delegated = client.post(
        "/roster/delegations/",
        {"role": "DECISION_MAKER", "delegator": decision_maker.pk, "delegate": reporter.pk,
         **window},
    )  # fmt: skip
    assert delegated.status_code == 302
    assert Absence.objects.filter(user=decision_maker).exists()
    assert Delegation.objects.filter(delegate=reporter).exists()


def test_an_absence_that_ends_before_it_starts_is_400_with_the_message(
    as_user, isms_office, deputy
):
    start = timezone.now() + timedelta(days=1)
    response = as_user(isms_office).post(
        "/roster/absences/",
        {"user": deputy.pk, "starts_at": _local(start), "ends_at": _local(start)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "The end must be after the start." in response.text
    assert not Absence.objects.exists()


def test_a_taken_rank_is_409(as_user, isms_office, decision_maker, reporter):
    response = as_user(isms_office).post(
        "/roster/assignments/", {"role": "DECISION_MAKER", "user": reporter.pk, "priority": 1}
    )
    assert response.status_code == 409


def test_the_office_removes_an_assignment(as_user, isms_office, decision_maker, deputy):
    assignment = RoleAssignment.objects.get(user=deputy)
    response = as_user(isms_office).post(f"/roster/assignments/{assignment.pk}/remove/")
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_holders_read_the_roster_but_cannot_change_it(as_user, decision_maker, deputy, reporter):
    client = as_user(decision_maker)
    page = client.get("/roster/")
    assert page.status_code == 200
    assert "/roster/assignments/" not in page.text
    refused = client.post(
        "/roster/assignments/", {"role": "PR", "user": reporter.pk, "priority": 1}
    )
    assert refused.status_code == 403
    assignment = RoleAssignment.objects.get(user=deputy)
    assert client.post(f"/roster/assignments/{assignment.pk}/remove/").status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


@pytest.mark.parametrize("who", ["reporter", "outsider"])
def test_people_without_a_role_here_get_403(as_user, request, isms_office, who):
    assert as_user(request.getfixturevalue(who)).get("/roster/").status_code == 403


def test_another_organisations_assignment_is_404(as_user, isms_office, outsider):
    theirs = RoleAssignmentFactory(user=outsider, role="ISMS_OFFICE")
    response = as_user(isms_office).post(f"/roster/assignments/{theirs.pk}/remove/")
    assert response.status_code == 404


def test_removing_the_last_decision_maker_is_refused_with_the_reason(
    as_user, isms_office, decision_maker
):
    assignment = RoleAssignment.objects.get(user=decision_maker)
    response = as_user(isms_office).post(f"/roster/assignments/{assignment.pk}/remove/")
    assert response.status_code == 409
    assert "責任者は一人以上必要です" in response.text
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_roster_lists_the_deciding_roles_without_an_available_deputy(
    as_user, isms_office, decision_maker, deputy, csirt_lead
):
    page = as_user(isms_office).get("/roster/").text
    warning = page.split('class="alert warn deputy-gaps"', 1)[1].split("</div>", 1)[0]
    named = re.findall(r"<li>([^<]*)</li>", warning)
    assert "CSIRT責任者" in named  # the CSIRT lead has nobody behind them
    assert "責任者" not in named  # the decision maker has a deputy


def test_no_deputy_warning_when_every_deciding_role_has_two_available(
    as_user, organisation, isms_office, decision_maker, deputy
):
    from accounts.roles import Role
    from bcp.selectors import DECIDING_ROLES
    from tests.factories import UserFactory

    for role in DECIDING_ROLES:
        for rank in (1, 2):
            if not RoleAssignment.objects.filter(
                organisation=organisation, role=role, priority=rank
            ).exists():
                RoleAssignmentFactory(
                    user=UserFactory(organisation=organisation), role=role, priority=rank
                )
    assert Role.DECISION_MAKER in DECIDING_ROLES
    assert "deputy-gaps" not in as_user(isms_office).get("/roster/").text
