"""Reads: who holds each role at a moment, the roles nobody can take, and the decision inbox."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from accounts.models import Delegation
from bcp import selectors
from bcp.services import decisions
from tests.conftest import _holder


def _by_role(organisation, at):
    return {r.role: r for r in selectors.roster_at(organisation=organisation, at=at)}


def test_the_roster_at_a_moment_marks_absent_holders_and_who_is_asked_first(
    organisation, decision_maker, deputy, absent
):
    absence = absent(decision_maker, hours=2)
    now = timezone.now()
    role = _by_role(organisation, now)["DECISION_MAKER"]
    assert [(h.user, h.absent) for h in role.holders] == [(decision_maker, True), (deputy, False)]
    assert role.first.user == deputy
    back = _by_role(organisation, absence.ends_at + timedelta(minutes=1))["DECISION_MAKER"]
    assert back.first.user == decision_maker


def test_a_delegate_stands_in_before_the_delegator(organisation, decision_maker, csirt_lead):
    now = timezone.now()
    Delegation.objects.create(
        organisation=organisation,
        role="DECISION_MAKER",
        delegator=decision_maker,
        delegate=csirt_lead,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
    )
    role = _by_role(organisation, now)["DECISION_MAKER"]
    assert role.first.user == csirt_lead
    assert role.first.delegated_from == decision_maker


def test_roles_without_an_available_holder_are_the_deciding_ones_and_staffed_ones_all_away(
    organisation, decision_maker, deputy, csirt_lead, isms_office, absent
):
    now = timezone.now()
    assert selectors.roles_without_available_holder(organisation=organisation, at=now) == [
        "LEGAL_PRIVACY"
    ]
    absent(decision_maker)
    absent(deputy)
    absent(isms_office)
    later = timezone.now()
    assert selectors.roles_without_available_holder(organisation=organisation, at=later) == [
        "DECISION_MAKER",
        "ISMS_OFFICE",
        "LEGAL_PRIVACY",
    ]


def test_the_inbox_holds_my_decisions_and_those_my_rank_may_take(
    organisation, incident, decision_maker, deputy, third
):
    bcp = decisions.decision_open(incident=incident, decision_type="ACTIVATE_CYBER_BCP")
    public = decisions.decision_open(incident=incident, decision_type="PUBLIC_ANNOUNCEMENT")
    escalate = decisions.decision_open(incident=incident, decision_type="ESCALATE_LEVEL")
    now = timezone.now()

    def inbox(user):
        return {d.pk for d in selectors.decision_inbox(user=user, at=now)}

    assert inbox(decision_maker) == {bcp.pk, public.pk}
    assert inbox(deputy) == {bcp.pk, public.pk}
    # the CSIRT lead is rank 3 of the decision maker for containment decisions only
    assert inbox(third) == {bcp.pk, escalate.pk}
    legal = _holder(organisation, "LEGAL_PRIVACY", "legal")
    assert inbox(legal) == set()


def test_the_inbox_counts_the_incidents_assets_without_a_query_per_decision(
    incident, decision_maker, django_assert_max_num_queries
):
    for kind in ("ACTIVATE_CYBER_BCP", "ESTABLISH_IRT", "CUT_ALL_EXTERNAL_NETWORK"):
        decisions.decision_open(incident=incident, decision_type=kind)
    with django_assert_max_num_queries(4):
        items = list(selectors.decision_inbox(user=decision_maker, at=timezone.now()))
    assert [(d.infected, d.confirmed, d.isolated) for d in items] == [(1, 0, 1)] * 3


def test_a_delegate_may_take_the_delegators_decisions_only_while_the_window_runs(
    organisation, incident, decision_maker, reporter
):
    now = timezone.now()
    Delegation.objects.create(
        organisation=organisation,
        role="DECISION_MAKER",
        delegator=decision_maker,
        delegate=reporter,
        starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
    )
    bcp = decisions.decision_open(incident=incident, decision_type="ACTIVATE_CYBER_BCP")
    assert not selectors.decision_inbox(user=reporter, at=now).exists()
    with time_machine.travel(now + timedelta(minutes=90)):
        during = timezone.now()
        assert list(selectors.decision_inbox(user=reporter, at=during)) == [bcp]
        assert selectors.may_decide(decision=bcp, user=reporter, at=during)


def test_may_ratify_mirrors_rule_d4(incident, decision_maker, deputy, third):
    decision = decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
    decision = decisions.decision_decide(
        decision=decision, actor=third, outcome="APPROVED", rationale="要"
    )
    now = timezone.now()
    assert selectors.may_ratify(decision=decision, user=decision_maker, at=now)
    assert selectors.may_ratify(decision=decision, user=deputy, at=now)
    assert not selectors.may_ratify(decision=decision, user=third, at=now)
