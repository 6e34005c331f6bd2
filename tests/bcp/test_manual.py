"""Decisions opened by hand and withdrawn (issue 14): the same assignment, deadlines, alerts and
sweeps as the engine's; the organisation's policy of who opens what; B-2 and B-3 by hand."""

from datetime import timedelta

import pytest
import time_machine

from bcp.models import BcpActivation, Decision, DecisionPolicy
from bcp.services import decisions, manual
from bcp.services.sweep import decisions_sweep
from common.errors import Conflict, DomainError, InvalidInput
from incidents.models import AffectedAsset, Incident, TimelineEntry
from incidents.services import assets, transitions
from notifications.models import Alert
from tests.conftest import _holder


def _by_hand(incident, actor, decision_type="PUBLIC_ANNOUNCEMENT", **kw):
    kw.setdefault("reason", "記者から問い合わせがあった")
    return manual.decision_open_by_hand(
        incident=incident, actor=actor, decision_type=decision_type, **kw
    )


def _state(incident) -> str:
    return BcpActivation.objects.get(incident=incident).state


def _cut_off(incident, decision_maker):
    cut = decisions.decision_open(incident=incident, decision_type="CUT_ALL_EXTERNAL_NETWORK")
    decisions.decision_decide(decision=cut, actor=decision_maker, outcome="APPROVED", rationale="r")
    assert _state(incident) == "ACTIVATED_FULL"


def _set_status(incident, status):
    Incident.objects.filter(pk=incident.pk).update(status=status)
    incident.refresh_from_db()


@pytest.mark.parametrize(
    ("decision_type", "minutes", "role"),
    [
        ("PUBLIC_ANNOUNCEMENT", 24 * 60, "DECISION_MAKER"),
        ("ESTABLISH_IRT", 30, "DECISION_MAKER"),
        ("CUT_ALL_EXTERNAL_NETWORK", 30, "DECISION_MAKER"),
        ("ACTIVATE_CYBER_BCP", 30, "DECISION_MAKER"),
        ("APPI_REPORTABILITY", 24 * 60, "LEGAL_PRIVACY"),
    ],
)
def test_a_decision_by_hand_gets_the_rules_assignee_deadline_and_alert(
    incident, csirt_lead, decision_maker, organisation, decision_type, minutes, role
):
    legal = _holder(organisation, "LEGAL_PRIVACY", "legal")
    decision = _by_hand(incident, csirt_lead, decision_type)
    assert decision.required_role == role
    assert decision.assignee == (legal if role == "LEGAL_PRIVACY" else decision_maker)
    assert decision.due_at == decision.opened_at + timedelta(minutes=minutes)
    assert decision.opened_by == csirt_lead and decision.opened_by_rule == ""
    entry = TimelineEntry.objects.filter(incident=incident, kind="decision.opened").last()
    assert entry.actor == csirt_lead and entry.payload["decision"] == decision.pk
    alert = Alert.objects.get(event="decision.opened", subject=f"decision:{decision.pk}")
    assert alert.needs_ack and alert.notifications.filter(recipient=decision.assignee).exists()


def test_a_decision_by_hand_goes_to_the_deputy_when_the_primary_is_away(
    incident, csirt_lead, decision_maker, deputy, absent
):
    absent(decision_maker)
    decision = _by_hand(incident, csirt_lead)
    assert decision.assignee == deputy
    assert decision.assignments.get().reason == "ABSENT"


def test_the_deadline_sweep_reassigns_a_decision_opened_by_hand(
    incident, csirt_lead, decision_maker, deputy
):
    decision = _by_hand(incident, csirt_lead, "ESTABLISH_IRT")
    with time_machine.travel(decision.due_at + timedelta(seconds=1), tick=False):
        assert decisions_sweep().reassigned == 1
    decision.refresh_from_db()
    assert decision.assignee == deputy


@pytest.mark.parametrize("opener", ["csirt_lead", "isms_office", "decision_maker"])
def test_by_default_the_csirt_lead_the_isms_office_and_decision_makers_open_any_type(
    request, incident, opener, decision_maker
):
    actor = request.getfixturevalue(opener)
    assert _by_hand(incident, actor).status == "OPEN"


def test_a_handler_may_not_open_a_decision_by_default(incident, handler, decision_maker):
    with pytest.raises(DomainError) as err:
        _by_hand(incident, handler)
    assert (err.value.status_code, err.value.code) == (403, "NOT_ALLOWED_TO_OPEN")
    assert not Decision.objects.filter(incident=incident).exists()


def test_the_organisations_policy_says_who_opens_which_type(
    incident, organisation, csirt_lead, decision_maker
):
    pr = _holder(organisation, "PR", "pr")
    DecisionPolicy.objects.create(
        organisation=organisation, openers={"PUBLIC_ANNOUNCEMENT": ["PR"]}
    )
    with pytest.raises(DomainError) as err:
        _by_hand(incident, csirt_lead)
    assert err.value.code == "NOT_ALLOWED_TO_OPEN"
    assert _by_hand(incident, pr).opened_by == pr
    # Types the policy does not name keep the defaults.
    assert _by_hand(incident, csirt_lead, "ESTABLISH_IRT").status == "OPEN"


def test_a_second_open_decision_of_the_same_type_is_refused(incident, csirt_lead, decision_maker):
    first = _by_hand(incident, csirt_lead)
    with pytest.raises(Conflict) as err:
        _by_hand(incident, csirt_lead)
    assert err.value.code == "DECISION_ALREADY_OPEN"
    assert err.value.details["decision"] == first.pk


def test_opening_needs_a_reason(incident, csirt_lead, decision_maker):
    with pytest.raises(InvalidInput) as err:
        _by_hand(incident, csirt_lead, reason="  ")
    assert err.value.code == "REASON_REQUIRED"


@pytest.mark.parametrize(
    ("decision_type", "target", "ok"),
    [
        ("ESCALATE_LEVEL", 2, True),
        ("ESCALATE_LEVEL", 1, False),
        ("ESCALATE_LEVEL", None, False),
        ("DEESCALATE_LEVEL", 1, False),
    ],
)
def test_level_decisions_by_hand_need_a_target_on_the_right_side(
    incident, csirt_lead, decision_type, target, ok
):
    if ok:
        decision = _by_hand(incident, csirt_lead, decision_type, target_level=target)
        assert (decision.target_level, decision.assignee) == (target, csirt_lead)
    else:
        with pytest.raises(InvalidInput) as err:
            _by_hand(incident, csirt_lead, decision_type, target_level=target)
        assert err.value.code == "TARGET_LEVEL_INVALID"


def test_a_scope_is_only_for_the_bcp_activation(incident, csirt_lead, decision_maker):
    with pytest.raises(InvalidInput) as err:
        _by_hand(incident, csirt_lead, recommended_scope="FULL")
    assert err.value.code == "SCOPE_NOT_APPLICABLE"


def test_closing_as_a_decision_waits_for_the_review_status(incident, csirt_lead):
    with pytest.raises(Conflict) as err:
        _by_hand(incident, csirt_lead, "CLOSE_INCIDENT")
    assert err.value.code == "INCIDENT_NOT_REVIEWING"
    _set_status(incident, "REVIEWING")
    assert _by_hand(incident, csirt_lead, "CLOSE_INCIDENT").assignee == csirt_lead


# --- B-1..B-3 by hand --------------------------------------------------------------------------


def test_a_stand_down_needs_an_active_bcp(incident, csirt_lead, decision_maker):
    with pytest.raises(Conflict) as err:
        _by_hand(incident, csirt_lead, "BCP_STAND_DOWN")
    assert err.value.code == "BCP_NOT_ACTIVATED"


def _unisolated_infection(incident, actor):
    asset = assets.asset_upsert(organisation_id=incident.organisation_id, asset_tag="PC-77")
    assets.affected_asset_add(
        incident=incident, actor=actor, asset=asset, infection_state="SUSPECTED"
    )


@pytest.mark.parametrize(
    ("status", "unisolated", "codes"),
    [
        ("ERADICATING", False, ["B2-RECOVERING"]),
        ("RECOVERING", True, ["B2-ISOLATED"]),
        ("CONTAINING", True, ["B2-RECOVERING", "B2-ISOLATED"]),
    ],
)
def test_b2_each_clause_refuses_the_stand_down_and_is_listed(
    incident, csirt_lead, decision_maker, handler, status, unisolated, codes
):
    _cut_off(incident, decision_maker)
    stand_down = _by_hand(incident, csirt_lead, "BCP_STAND_DOWN")
    if unisolated:
        _unisolated_infection(incident, handler)
    _set_status(incident, status)
    with pytest.raises(Conflict) as err:
        decisions.decision_decide(
            decision=stand_down, actor=decision_maker, outcome="APPROVED", rationale="復旧"
        )
    assert err.value.code == "BCP_GUARD_FAILED"
    assert [f["code"] for f in err.value.details["failed"]] == codes
    if unisolated:
        assert "PC-77" in str(err.value.message)
    assert (Decision.objects.get(pk=stand_down.pk).status, _state(incident)) == (
        "OPEN",
        "ACTIVATED_FULL",
    )


def test_an_approved_stand_down_lets_the_incident_reach_monitoring(
    incident, csirt_lead, decision_maker
):
    _cut_off(incident, decision_maker)
    AffectedAsset.objects.filter(incident=incident).update(remediation_state="RESTORED")
    _set_status(incident, "RECOVERING")
    with pytest.raises(Conflict) as err:
        transitions.incident_transition(incident=incident, target="MONITORING", actor=csirt_lead)
    assert err.value.code == "G-RESTORED"
    stand_down = _by_hand(incident, csirt_lead, "BCP_STAND_DOWN")
    decisions.decision_decide(
        decision=stand_down, actor=decision_maker, outcome="APPROVED", rationale="復旧完了"
    )
    assert _state(incident) == "STOOD_DOWN"
    moved = transitions.incident_transition(
        incident=incident, target="MONITORING", actor=csirt_lead
    )
    assert moved.status == "MONITORING"


def test_b3_a_partial_activation_by_hand_steps_a_full_bcp_down(
    incident, csirt_lead, decision_maker
):
    _cut_off(incident, decision_maker)
    with pytest.raises(Conflict) as err:
        _by_hand(incident, csirt_lead, "ACTIVATE_CYBER_BCP", recommended_scope="FULL")
    assert err.value.code == "BCP_ALREADY_FULL"
    staged = _by_hand(incident, csirt_lead, "ACTIVATE_CYBER_BCP", recommendation="APPROVE")
    assert staged.recommended_scope == "PARTIAL"
    assert _state(incident) == "ACTIVATED_FULL"  # until the new decision is approved
    decisions.decision_decide(
        decision=staged, actor=decision_maker, outcome="APPROVED", rationale="段階的再接続",
        scope="PARTIAL",
    )  # fmt: skip
    assert _state(incident) == "ACTIVATED_PARTIAL"


# --- Withdrawal ---------------------------------------------------------------------------------


def test_a_withdrawn_decision_is_recorded_and_its_alerts_stop(incident, csirt_lead, decision_maker):
    decision = _by_hand(incident, csirt_lead)
    alert = Alert.objects.get(subject=f"decision:{decision.pk}", event="decision.opened")
    manual.decision_withdraw(decision=decision, actor=csirt_lead, reason="公表不要と判明")
    decision.refresh_from_db()
    assert (decision.status, decision.withdrawn_by, decision.withdrawal_reason) == (
        "WITHDRAWN",
        csirt_lead,
        "公表不要と判明",
    )
    entry = TimelineEntry.objects.filter(incident=incident).last()
    assert (entry.kind, entry.payload["reason"]) == ("decision.withdrawn", "公表不要と判明")
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_a_withdrawn_decision_is_not_swept_and_cannot_be_decided(
    incident, csirt_lead, decision_maker, deputy
):
    decision = _by_hand(incident, csirt_lead, "ESTABLISH_IRT")
    manual.decision_withdraw(decision=decision, actor=csirt_lead, reason="不要")
    with time_machine.travel(decision.due_at + timedelta(hours=1), tick=False):
        result = decisions_sweep()
    assert (result.reassigned, result.overdue) == (0, 0)
    decision.refresh_from_db()
    assert decision.assignee == decision_maker
    with pytest.raises(Conflict) as err:
        decisions.decision_decide(
            decision=decision, actor=decision_maker, outcome="APPROVED", rationale="r"
        )
    assert err.value.code == "DECISION_WITHDRAWN"


def test_withdrawing_needs_a_reason_an_opener_and_an_open_decision(
    incident, csirt_lead, handler, decision_maker
):
    decision = _by_hand(incident, csirt_lead)
    with pytest.raises(InvalidInput):
        manual.decision_withdraw(decision=decision, actor=csirt_lead, reason="")
    with pytest.raises(DomainError) as err:
        manual.decision_withdraw(decision=decision, actor=handler, reason="r")
    assert err.value.code == "NOT_ALLOWED_TO_OPEN"
    decisions.decision_decide(
        decision=decision, actor=decision_maker, outcome="DECLINED", rationale="r"
    )
    with pytest.raises(Conflict) as err:
        manual.decision_withdraw(decision=decision, actor=csirt_lead, reason="r")
    assert err.value.code == "DECISION_NOT_OPEN"


def test_withdrawing_the_only_pending_bcp_decision_settles_the_bcp(
    incident, csirt_lead, decision_maker
):
    decision = _by_hand(incident, csirt_lead, "ACTIVATE_CYBER_BCP")
    assert _state(incident) == "DECISION_PENDING"
    manual.decision_withdraw(decision=decision, actor=csirt_lead, reason="不要")
    assert _state(incident) == "NOT_ACTIVATED"


def test_a_declined_lone_cut_off_settles_the_bcp_as_declined(incident, csirt_lead, decision_maker):
    cut = _by_hand(incident, csirt_lead, "CUT_ALL_EXTERNAL_NETWORK")
    decisions.decision_decide(decision=cut, actor=decision_maker, outcome="DECLINED", rationale="r")
    assert _state(incident) == "DECLINED"
