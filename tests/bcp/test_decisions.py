from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Delegation
from bcp.models import BcpAction, BcpActivation, Decision
from bcp.services import decisions
from bcp.services.sweep import decisions_sweep
from common.errors import Conflict, InvalidInput
from incidents.models import Task
from incidents.services import transitions


def _open(incident, decision_type="ACTIVATE_CYBER_BCP", **kw):
    return decisions.decision_open(incident=incident, decision_type=decision_type, **kw)


def test_d2_primary_present_is_assigned_with_reason_primary(incident, decision_maker, deputy):
    decision = _open(incident)
    assert decision.assignee == decision_maker
    assert decision.assignments.get().reason == "PRIMARY"
    assert decision.due_at == decision.opened_at + timedelta(minutes=30)


def test_d2_primary_absent_assigns_the_first_deputy(incident, decision_maker, deputy, absent):
    absent(decision_maker)
    decision = _open(incident)
    assert decision.assignee == deputy
    assert decision.assignments.get().reason == "ABSENT"


def test_d2_deputy_without_scope_is_skipped(incident, decision_maker, deputy, third, absent):
    absent(decision_maker)
    absent(deputy)
    assert _open(incident).assignee == third
    public = _open(incident, "PUBLIC_ANNOUNCEMENT")
    assert public.assignee is None
    assert public.overdue is True


def test_d2_delegation_puts_the_delegate_first(incident, organisation, decision_maker, csirt_lead):
    now = timezone.now()
    Delegation.objects.create(
        organisation=organisation,
        role="DECISION_MAKER",
        delegator=decision_maker,
        delegate=csirt_lead,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
    )
    decision = _open(incident)
    assert decision.assignee == csirt_lead
    assert decision.assignments.get().reason == "DELEGATED"


def test_d3_sweep_reassigns_to_the_next_holder_and_re_dates(incident, decision_maker, deputy):
    decision = _open(incident)
    first_due = decision.due_at
    with time_machine.travel(first_due + timedelta(seconds=1), tick=False):
        result = decisions_sweep()
        again = decisions_sweep()
    decision.refresh_from_db()
    assert (result.reassigned, again.reassigned) == (1, 0)
    assert decision.assignee == deputy
    assert decision.due_at == first_due + timedelta(minutes=30)
    assert list(decision.assignments.values_list("reason", flat=True)) == [
        "PRIMARY",
        "DEADLINE_EXPIRED",
    ]


def test_d3_nobody_left_marks_overdue_and_keeps_the_last_assignee(incident, decision_maker):
    decision = _open(incident)
    with time_machine.travel(decision.due_at + timedelta(seconds=1), tick=False):
        assert decisions_sweep().overdue == 1
    decision.refresh_from_db()
    assert decision.overdue is True
    assert decision.assignee == decision_maker


def test_d3_earlier_assignee_may_still_decide(incident, decision_maker, deputy):
    decision = _open(incident, "ESTABLISH_IRT")
    with time_machine.travel(decision.due_at + timedelta(seconds=1), tick=False):
        decisions_sweep()
        decided = decisions.decision_decide(
            decision=decision, actor=decision_maker, outcome="APPROVED", rationale="感染拡大の恐れ"
        )
    assert decided.decided_by == decision_maker
    assert decided.requires_ratification is False


def test_deciding_twice_is_a_conflict_naming_who_decided(incident, decision_maker, deputy):
    decision = _open(incident, "ESTABLISH_IRT")
    decisions.decision_decide(
        decision=decision, actor=deputy, outcome="APPROVED", rationale="社長不在のため"
    )
    with pytest.raises(Conflict) as err:
        decisions.decision_decide(
            decision=decision, actor=decision_maker, outcome="DECLINED", rationale="x"
        )
    assert err.value.code == "DECISION_ALREADY_DECIDED"
    assert err.value.details["decided_by"] == str(deputy)


def test_d5_rationale_is_required(incident, decision_maker):
    decision = _open(incident, "ESTABLISH_IRT")
    with pytest.raises(InvalidInput) as err:
        decisions.decision_decide(
            decision=decision, actor=decision_maker, outcome="APPROVED", rationale="  "
        )
    assert err.value.code == "RATIONALE_REQUIRED"
    decision.refresh_from_db()
    assert decision.status == "OPEN"


def test_non_holder_cannot_decide(incident, decision_maker, handler):
    decision = _open(incident, "ESTABLISH_IRT")
    with pytest.raises(decisions.NotEligible):
        decisions.decision_decide(
            decision=decision, actor=handler, outcome="APPROVED", rationale="x"
        )


def test_d5_fact_snapshot_stays_as_decided(incident, decision_maker, handler):
    decision = _open(incident, "ESTABLISH_IRT")
    decided = decisions.decision_decide(
        decision=decision, actor=decision_maker, outcome="APPROVED", rationale="r"
    )
    assert decided.fact_snapshot["infected_effective_count"] == 1
    affected = incident.affected_assets.get()
    from incidents.services import assets

    assets.affected_asset_update(
        affected=affected, actor=handler, changes={"infection_state": "NONE"}
    )
    decided.refresh_from_db()
    assert decided.fact_snapshot["infected_effective_count"] == 1
    assert set(decided.fact_snapshot) == {
        "level",
        "recommended_level",
        "infected_effective_count",
        "infected_confirmed_count",
        "isolated_count",
        "external_comm_status",
        "leak_status",
        "bcp_state",
        "appi_status",
    }


def test_d4_deputy_decision_needs_ratification_and_blocks_closing(incident, decision_maker, deputy):
    decision = _open(incident, "ESTABLISH_IRT")
    decided = decisions.decision_decide(
        decision=decision, actor=deputy, outcome="APPROVED", rationale="社長不在"
    )
    assert decided.requires_ratification is True
    assert transitions.incident_facts(incident).pending_ratifications == 1
    with pytest.raises(decisions.NotEligible):
        decisions.decision_ratify(decision=decided, actor=deputy)
    decisions.decision_ratify(decision=decided, actor=decision_maker)
    assert transitions.incident_facts(incident).pending_ratifications == 0


def test_d6_cutting_all_external_network_fully_activates_the_bcp(incident, decision_maker):
    decision = _open(incident, "CUT_ALL_EXTERNAL_NETWORK")
    assert BcpActivation.objects.get(incident=incident).state == "DECISION_PENDING"
    decisions.decision_decide(
        decision=decision, actor=decision_maker, outcome="APPROVED", rationale="C2通信を確認"
    )
    assert BcpActivation.objects.get(incident=incident).state == "ACTIVATED_FULL"
    assert Task.objects.filter(incident=incident, code="BCP-CUT").count() == 1
    assert BcpAction.objects.filter(kind="CUT_EXTERNAL_NETWORK").count() == 1


def test_d6_bcp_scope_sets_partial_or_full(incident, decision_maker):
    decision = _open(incident)
    with pytest.raises(InvalidInput):
        decisions.decision_decide(
            decision=decision, actor=decision_maker, outcome="APPROVED", rationale="r"
        )
    decisions.decision_decide(
        decision=decision, actor=decision_maker, outcome="APPROVED", rationale="r", scope="PARTIAL"
    )
    assert BcpActivation.objects.get(incident=incident).state == "ACTIVATED_PARTIAL"


def test_d6_declining_the_bcp_sets_declined(incident, decision_maker):
    decision = _open(incident)
    decisions.decision_decide(
        decision=decision, actor=decision_maker, outcome="DECLINED", rationale="影響は限定的"
    )
    assert BcpActivation.objects.get(incident=incident).state == "DECLINED"


def test_d6_irt_approval_records_the_time(incident, decision_maker):
    decision = _open(incident, "ESTABLISH_IRT")
    decisions.decision_decide(
        decision=decision, actor=decision_maker, outcome="APPROVED", rationale="r"
    )
    incident.refresh_from_db()
    assert incident.irt_established_at is not None


def test_d7_deferred_decision_reopens_at_redecide_by(incident, decision_maker):
    decision = _open(incident, "ESTABLISH_IRT")
    later = timezone.now() + timedelta(hours=1)
    with pytest.raises(InvalidInput) as err:
        decisions.decision_decide(
            decision=decision, actor=decision_maker, outcome="DEFERRED", rationale="情報不足"
        )
    assert err.value.code == "REDECIDE_BY_REQUIRED"
    decisions.decision_decide(
        decision=decision,
        actor=decision_maker,
        outcome="DEFERRED",
        rationale="情報不足",
        redecide_by=later,
    )
    with time_machine.travel(later + timedelta(seconds=1), tick=False):
        assert decisions_sweep().reopened == 1
    decision.refresh_from_db()
    assert decision.status == "OPEN"
    assert decision.due_at == later + timedelta(minutes=30)


def test_b1_states_follow_the_decisions(incident, decision_maker):
    activation = lambda: BcpActivation.objects.get(incident=incident).state  # noqa: E731
    bcp = _open(incident)
    assert activation() == "DECISION_PENDING"
    decisions.decision_decide(decision=bcp, actor=decision_maker, outcome="DECLINED", rationale="r")
    assert activation() == "DECLINED"
    _open(incident)
    assert activation() == "DECISION_PENDING"


def test_b2_stand_down_refused_before_recovery(incident, decision_maker):
    cut = _open(incident, "CUT_ALL_EXTERNAL_NETWORK")
    decisions.decision_decide(decision=cut, actor=decision_maker, outcome="APPROVED", rationale="r")
    stand_down = _open(incident, "BCP_STAND_DOWN")
    with pytest.raises(Conflict) as err:
        decisions.decision_decide(
            decision=stand_down, actor=decision_maker, outcome="APPROVED", rationale="r"
        )
    assert err.value.code == "BCP_GUARD_FAILED"
    assert Decision.objects.get(pk=stand_down.pk).status == "OPEN"
    incident.status = "RECOVERING"
    incident.save()
    decisions.decision_decide(
        decision=stand_down, actor=decision_maker, outcome="APPROVED", rationale="復旧完了"
    )
    assert BcpActivation.objects.get(incident=incident).state == "STOOD_DOWN"


def test_b3_full_to_partial_needs_a_new_partial_bcp_decision(incident, decision_maker):
    cut = _open(incident, "CUT_ALL_EXTERNAL_NETWORK")
    decisions.decision_decide(decision=cut, actor=decision_maker, outcome="APPROVED", rationale="r")
    staged = _open(incident)
    assert BcpActivation.objects.get(incident=incident).state == "ACTIVATED_FULL"
    decisions.decision_decide(
        decision=staged,
        actor=decision_maker,
        outcome="APPROVED",
        rationale="段階的再接続",
        scope="PARTIAL",
    )
    assert BcpActivation.objects.get(incident=incident).state == "ACTIVATED_PARTIAL"


def test_b2_stand_down_refused_while_an_infected_host_is_not_isolated(incident, decision_maker):
    cut = _open(incident, "CUT_ALL_EXTERNAL_NETWORK")
    decisions.decision_decide(decision=cut, actor=decision_maker, outcome="APPROVED", rationale="r")
    incident.affected_assets.update(containment_state="NOT_CONTAINED", isolated_at=None)
    incident.status = "RECOVERING"
    incident.save()
    stand_down = _open(incident, "BCP_STAND_DOWN")
    with pytest.raises(Conflict) as err:
        decisions.decision_decide(
            decision=stand_down, actor=decision_maker, outcome="APPROVED", rationale="r"
        )
    assert [f["code"] for f in err.value.details["failed"]] == ["B2-ISOLATED"]
    assert BcpActivation.objects.get(incident=incident).state == "ACTIVATED_FULL"


def test_d4_a_deputys_refusal_needs_ratification_too(incident, decision_maker, deputy):
    decided = decisions.decision_decide(
        decision=_open(incident, "ESTABLISH_IRT"),
        actor=deputy,
        outcome="DECLINED",
        rationale="社長不在",
    )
    assert decided.requires_ratification is True


def test_d4_the_primarys_decision_needs_no_ratification(incident, decision_maker, deputy):
    decided = decisions.decision_decide(
        decision=_open(incident, "ESTABLISH_IRT"),
        actor=decision_maker,
        outcome="APPROVED",
        rationale="r",
    )
    assert decided.requires_ratification is False
    with pytest.raises(Conflict):
        decisions.decision_ratify(decision=decided, actor=decision_maker)


def test_d4_a_deputys_deferral_needs_no_ratification(incident, decision_maker, deputy):
    decided = decisions.decision_decide(
        decision=_open(incident, "ESTABLISH_IRT"),
        actor=deputy,
        outcome="DEFERRED",
        rationale="情報不足",
        redecide_by=timezone.now() + timedelta(hours=1),
    )
    assert decided.requires_ratification is False
    assert transitions.incident_facts(incident).pending_ratifications == 0


def test_d6_declining_a_further_bcp_leaves_an_activated_bcp_as_it_is(incident, decision_maker):
    first = _open(incident)
    decisions.decision_decide(
        decision=first, actor=decision_maker, outcome="APPROVED", rationale="r", scope="PARTIAL"
    )
    wider = _open(incident)  # e.g. D-1b asking for a full activation
    decisions.decision_decide(
        decision=wider, actor=decision_maker, outcome="DECLINED", rationale="部分発動で足りる"
    )
    assert BcpActivation.objects.get(incident=incident).state == "ACTIVATED_PARTIAL"
    assert Decision.objects.get(pk=wider.pk).outcome == "DECLINED"
