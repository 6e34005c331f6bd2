"""Each escalation rule, driven through the services on PostgreSQL (named after its id)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bcp.models import BcpActivation, Decision
from bcp.services import decisions
from common.errors import InvalidInput
from incidents.models import AffectedAsset, Asset, Incident, Indicator, Task
from incidents.services import assets, findings, indicators, triage
from risklevels.models import FiredRule, LevelChange, TrendPoint
from risklevels.services import levels


def _asset(incident, tag, kind="PC", personal=False):
    return Asset.objects.create(
        organisation_id=incident.organisation_id,
        asset_tag=tag,
        hostname=tag,
        kind=kind,
        holds_personal_data=personal,
    )


def _infect(incident, handler, tag, **kw):
    return findings.asset_infection_set(
        incident=incident, actor=handler, asset=_asset(incident, tag), state="SUSPECTED", **kw
    )


def _rules(incident):
    return set(
        FiredRule.objects.filter(incident=incident, active=True).values_list("rule_id", flat=True)
    )


def _refresh(incident):
    return Incident.objects.get(pk=incident.pk)


def test_l1_declared_incident_is_level_1_with_the_level_1_checklist(incident):
    assert incident.level == 1
    codes = set(Task.objects.filter(incident=incident).values_list("code", flat=True))
    assert {"L1-01", "L1-12"} <= codes
    assert not any(code.startswith("L2") for code in codes)


def test_x1_executed_attachment_makes_the_pc_suspected_via_mail(incident, handler):
    delivery = incident.mail_messages.get().deliveries.get()
    pc = _asset(incident, "PC-77")
    findings.delivery_mark_executed(delivery=delivery, actor=handler, asset=pc)
    affected = AffectedAsset.objects.get(incident=incident, asset=pc)
    assert (affected.infection_state, affected.infection_via) == ("SUSPECTED", "MAIL")
    assert affected.infection_observed_at is not None


def _c2(incident, value="cdn-update.example"):
    return indicators.c2_indicator_for(incident=incident, actor=None, value=value)


def test_x2_confirmed_c2_traffic_raises_the_host_and_the_incident(incident, handler):
    pc = _asset(incident, "PC-88")
    c2 = _c2(incident)
    findings.external_comm_record(
        incident=incident, actor=handler, status="CONFIRMED", asset=pc, c2=c2
    )
    incident = _refresh(incident)
    assert incident.external_comm_status == "CONFIRMED"
    assert AffectedAsset.objects.get(incident=incident, asset=pc).infection_state == "SUSPECTED"
    fact = incident.facts.get(kind="EXTERNAL_COMM")
    assert (fact.data["c2_indicator"], fact.data["c2"]) == (c2.pk, "cdn-update.example")
    assert c2.kind == "C2_DOMAIN"


def test_x2_confirmed_traffic_to_no_known_c2_leaves_the_host_as_it_was(incident, handler):
    pc = _asset(incident, "PC-89")
    findings.external_comm_record(incident=incident, actor=handler, status="CONFIRMED", asset=pc)
    assert _refresh(incident).external_comm_status == "CONFIRMED"
    assert not AffectedAsset.objects.filter(incident=incident, asset=pc).exists()


def test_x2_only_a_c2_indicator_of_the_incident_is_accepted(incident, handler):
    url = Indicator.objects.filter(incident=incident, kind="URL").first()
    with pytest.raises(InvalidInput) as refused:
        findings.external_comm_record(incident=incident, actor=handler, status="CONFIRMED", c2=url)
    assert refused.value.code == "not_a_c2_indicator"
    assert _refresh(incident).external_comm_status == "NONE"


def test_x2_a_c2_ip_address_becomes_a_c2_ip_indicator(incident):
    assert _c2(incident, "203.0.113.7").kind == "C2_IP"
    assert _c2(incident, "203.0.113.7") == _c2(incident, "203.0.113.7")


def test_x3_suspected_then_confirmed_leak_never_lowers(incident, handler):
    findings.leak_record(incident=incident, actor=handler, status="CONFIRMED")
    findings.leak_record(incident=incident, actor=handler, status="SUSPECTED")
    assert _refresh(incident).leak_status == "CONFIRMED"


def test_x4_and_l2a_two_effective_infections_recommend_level_2(incident, handler):
    _infect(incident, handler, "PC-2")
    incident = _refresh(incident)
    assert "L2-a" in _rules(incident)
    assert (incident.level, incident.recommended_level) == (1, 2)


def test_l2b_a_new_infection_after_an_isolation_is_the_trend_rule(incident, handler):
    _infect(incident, handler, "PC-3")
    assert "L2-b" in _rules(incident)  # PC-12 was isolated when its cable was pulled


def test_l2c_lateral_infection(incident, handler):
    incident.affected_assets.update(infection_state="NONE")
    _infect(incident, handler, "PC-L", via="LATERAL")
    assert "L2-c" in _rules(incident)


def test_l2d_suspected_external_communication(incident, handler):
    findings.external_comm_record(incident=incident, actor=handler, status="SUSPECTED")
    assert "L2-d" in _rules(incident)
    assert _refresh(incident).recommended_level == 2


def test_l3a_single_pc_suspected_leak_stays_at_level_2(incident, handler):
    findings.leak_record(
        incident=incident,
        actor=handler,
        status="SUSPECTED",
        asset=Asset.objects.get(asset_tag="PC-12"),
    )
    assert _rules(incident) == {"L2-e"}
    assert _refresh(incident).recommended_level == 2


def test_l3a_leak_from_the_file_server_recommends_level_3(incident, handler):
    fs = _asset(incident, "FS-01", kind="FILE_SERVER")
    findings.leak_record(incident=incident, actor=handler, status="SUSPECTED", asset=fs)
    assert "L3-a" in _rules(incident)
    assert _refresh(incident).recommended_level == 3


def test_l3b_compromised_file_server_with_personal_data(incident, handler):
    fs = _asset(incident, "FS-02", kind="FILE_SERVER", personal=True)
    findings.asset_infection_set(incident=incident, actor=handler, asset=fs, state="COMPROMISED")
    assert "L3-b" in _rules(incident)


def test_le_opens_one_escalation_and_raises_it_in_place(incident, handler):
    _infect(incident, handler, "PC-2")
    _infect(incident, handler, "PC-4")
    escalations = Decision.objects.filter(incident=incident, type="ESCALATE_LEVEL")
    assert escalations.count() == 1
    assert escalations.get().target_level == 2
    findings.leak_record(incident=incident, actor=handler, status="SUSPECTED")
    assert escalations.count() == 1
    assert escalations.get().target_level == 3
    assert escalations.get().due_at == escalations.get().opened_at + timedelta(minutes=15)


def test_l0_level_changes_only_by_an_approved_decision(incident, handler, csirt_lead):
    _infect(incident, handler, "PC-2")
    assert _refresh(incident).level == 1
    escalation = Decision.objects.get(incident=incident, type="ESCALATE_LEVEL")
    decisions.decision_decide(
        decision=escalation, actor=csirt_lead, outcome="APPROVED", rationale="2台感染"
    )
    incident = _refresh(incident)
    assert (incident.level, incident.peak_level) == (2, 2)
    change = LevelChange.objects.get(incident=incident)
    assert (change.from_level, change.to_level, change.decision_id) == (1, 2, escalation.pk)
    assert "L2-a" in change.fired_rules


def test_level_2_checklist_is_created_once_even_on_re_entry(incident, handler, csirt_lead):
    _infect(incident, handler, "PC-2")
    up = Decision.objects.get(incident=incident, type="ESCALATE_LEVEL")
    decisions.decision_decide(decision=up, actor=csirt_lead, outcome="APPROVED", rationale="r")
    level2 = Task.objects.filter(incident=incident, level=2).count()
    assert level2 == 12
    down = levels.level_lower_request(
        incident=_refresh(incident), actor=csirt_lead, target=1, reason="誤検知"
    )
    decisions.decision_decide(
        decision=down, actor=csirt_lead, outcome="APPROVED", rationale="誤検知と判明"
    )
    incident = _refresh(incident)
    assert (incident.level, incident.peak_level) == (1, 2)
    _infect(incident, handler, "PC-9")
    again = Decision.objects.get(incident=incident, type="ESCALATE_LEVEL", status="OPEN")
    decisions.decision_decide(
        decision=again, actor=csirt_lead, outcome="APPROVED", rationale="再感染"
    )
    assert Task.objects.filter(incident=incident, level=2).count() == level2


def test_ld_lowering_needs_a_target_below_the_level(incident, csirt_lead):
    with pytest.raises(Exception) as err:
        levels.level_lower_request(incident=incident, actor=csirt_lead, target=1, reason="x")
    assert err.value.code == "invalid_target_level"


def test_d1_first_level_2_rule_opens_the_three_decision_points(incident, handler):
    _infect(incident, handler, "PC-2")
    opened = dict(
        Decision.objects.filter(incident=incident, opened_by_rule="D-1").values_list(
            "type", "recommendation"
        )
    )
    assert opened == {
        "ESTABLISH_IRT": "APPROVE",
        "ACTIVATE_CYBER_BCP": "NONE",
        "CUT_ALL_EXTERNAL_NETWORK": "NONE",
    }
    for d in Decision.objects.filter(incident=incident, opened_by_rule="D-1"):
        assert d.due_at == d.opened_at + timedelta(minutes=30)
    findings.external_comm_record(incident=incident, actor=handler, status="SUSPECTED")
    assert Decision.objects.filter(incident=incident, opened_by_rule="D-1").count() == 3


def test_d1b_level_3_supersedes_a_declined_bcp_and_recommends_full(
    incident, handler, decision_maker
):
    _infect(incident, handler, "PC-2")
    bcp = Decision.objects.get(incident=incident, type="ACTIVATE_CYBER_BCP")
    decisions.decision_decide(
        decision=bcp, actor=decision_maker, outcome="DECLINED", rationale="影響は限定的"
    )
    cut = Decision.objects.get(incident=incident, type="CUT_ALL_EXTERNAL_NETWORK")
    cut_due = cut.due_at
    findings.leak_record(incident=incident, actor=handler, status="SUSPECTED")
    bcp.refresh_from_db()
    assert bcp.status == "SUPERSEDED"
    fresh = Decision.objects.get(incident=incident, type="ACTIVATE_CYBER_BCP", status="OPEN")
    assert (fresh.recommendation, fresh.recommended_scope) == ("APPROVE", "FULL")
    cut.refresh_from_db()
    assert (cut.recommendation, cut.due_at) == ("APPROVE", cut_due)
    assert Decision.objects.filter(incident=incident, type="PUBLIC_ANNOUNCEMENT").count() == 1


def test_trend_points_follow_the_counts(incident, handler):
    _infect(incident, handler, "PC-2")
    series = list(TrendPoint.objects.filter(incident=incident).values_list("effective", "isolated"))
    assert series[-1] == (2, 1)


def test_facts_record_when_they_happened_and_when_they_were_learned(incident, handler):
    two_days_ago = timezone.now() - timedelta(days=2)
    _infect(incident, handler, "PC-5", occurred_at=two_days_ago)
    fact = incident.facts.filter(kind="ASSET_INFECTION").order_by("-id").first()
    assert fact.occurred_at == two_days_ago
    assert fact.observed_at > two_days_ago


# --- The level gates (D-1, D-1b) and their checklists -------------------------------------------


def _decide(decision, actor, outcome="APPROVED", **kw):
    return decisions.decision_decide(
        decision=decision, actor=actor, outcome=outcome, rationale="判断", **kw
    )


def _leak_from_the_file_server(incident, handler, tag="FS-01"):
    fs = _asset(incident, tag, kind="FILE_SERVER")
    findings.leak_record(incident=incident, actor=handler, status="SUSPECTED", asset=fs)


def test_d1_the_level_2_checklist_exists_while_level_2_is_only_recommended(incident, handler):
    _infect(incident, handler, "PC-2")
    incident = _refresh(incident)
    assert (incident.level, incident.recommended_level) == (1, 2)
    codes = set(Task.objects.filter(incident=incident, level=2).values_list("code", flat=True))
    assert codes == {f"L2-{n:02d}" for n in range(1, 13)}


def test_d1_an_open_decision_point_is_not_opened_again(incident, handler, decision_maker):
    irt = decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
    _infect(incident, handler, "PC-2")
    assert list(Decision.objects.filter(incident=incident, type="ESTABLISH_IRT")) == [irt]
    assert Decision.objects.filter(incident=incident, opened_by_rule="D-1").count() == 2


def test_d1_an_approved_decision_point_is_not_opened_again(incident, handler, decision_maker):
    irt = decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
    _decide(irt, decision_maker)
    _infect(incident, handler, "PC-2")
    assert list(Decision.objects.filter(incident=incident, type="ESTABLISH_IRT")) == [irt]


def test_d1_a_declined_decision_point_opens_again_at_the_gate(incident, handler, decision_maker):
    irt = decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
    _decide(irt, decision_maker, "DECLINED")
    _infect(incident, handler, "PC-2")
    assert Decision.objects.filter(incident=incident, type="ESTABLISH_IRT").count() == 2


def test_d1_the_gate_opens_once_even_when_every_decision_point_was_already_taken(
    incident, handler, decision_maker
):
    for kind in ("ESTABLISH_IRT", "CUT_ALL_EXTERNAL_NETWORK"):
        decisions.decision_open(incident=incident, decision_type=kind)
    bcp = decisions.decision_open(incident=incident, decision_type="ACTIVATE_CYBER_BCP")
    _infect(incident, handler, "PC-2")  # L2-a, L2-b: the gate, nothing new to open
    _decide(bcp, decision_maker, "DECLINED")
    findings.external_comm_record(incident=incident, actor=handler, status="SUSPECTED")  # L2-d
    assert Decision.objects.filter(incident=incident, type="ACTIVATE_CYBER_BCP").count() == 1


def test_d1b_fires_once_at_the_first_level_3_rule(incident, handler, decision_maker):
    _leak_from_the_file_server(incident, handler)  # L3-a: the gate
    announcement = Decision.objects.get(incident=incident, type="PUBLIC_ANNOUNCEMENT")
    _decide(announcement, decision_maker)
    fs = _asset(incident, "FS-02", kind="FILE_SERVER", personal=True)
    findings.asset_infection_set(incident=incident, actor=handler, asset=fs, state="COMPROMISED")
    assert {"L3-a", "L3-b"} <= _rules(incident)
    assert Decision.objects.filter(incident=incident, type="PUBLIC_ANNOUNCEMENT").count() == 1
    assert Decision.objects.filter(incident=incident, opened_by_rule="D-1b").count() == 4


def test_d1b_a_cut_off_approved_at_level_2_is_not_asked_again(incident, handler, decision_maker):
    _infect(incident, handler, "PC-2")
    cut = Decision.objects.get(incident=incident, type="CUT_ALL_EXTERNAL_NETWORK")
    _decide(cut, decision_maker)
    _leak_from_the_file_server(incident, handler)
    assert list(Decision.objects.filter(incident=incident, type="CUT_ALL_EXTERNAL_NETWORK")) == [
        cut
    ]


def test_d1b_a_full_bcp_approved_at_level_2_is_not_asked_again(incident, handler, decision_maker):
    _infect(incident, handler, "PC-2")
    bcp = Decision.objects.get(incident=incident, type="ACTIVATE_CYBER_BCP")
    _decide(bcp, decision_maker, scope="FULL")
    _leak_from_the_file_server(incident, handler)
    assert list(Decision.objects.filter(incident=incident, type="ACTIVATE_CYBER_BCP")) == [bcp]


def test_d1b_a_partial_bcp_stays_and_a_full_one_is_asked_for(incident, handler, decision_maker):
    _infect(incident, handler, "PC-2")
    bcp = Decision.objects.get(incident=incident, type="ACTIVATE_CYBER_BCP")
    _decide(bcp, decision_maker, scope="PARTIAL")
    _leak_from_the_file_server(incident, handler)
    bcp.refresh_from_db()
    assert (bcp.status, bcp.outcome_scope) == ("DECIDED", "PARTIAL")
    fresh = Decision.objects.get(incident=incident, type="ACTIVATE_CYBER_BCP", status="OPEN")
    assert (fresh.recommendation, fresh.recommended_scope) == ("APPROVE", "FULL")
    assert BcpActivation.objects.get(incident=incident).state == "ACTIVATED_PARTIAL"


def test_d1b_the_level_3_checklist_comes_with_the_gate_and_brings_level_2(incident, handler):
    _leak_from_the_file_server(incident, handler)
    incident = _refresh(incident)
    assert (incident.level, incident.recommended_level) == (1, 3)
    by_level = {
        level: set(
            Task.objects.filter(incident=incident, level=level).values_list("code", flat=True)
        )
        for level in (2, 3)
    }
    assert by_level[3] == {f"L3-{n:02d}" for n in range(1, 12)}
    assert len(by_level[2]) == 12


@pytest.mark.parametrize("category", ["CREDENTIAL_PHISHING", "BEC", "DOS", "SYSTEM_OUTAGE"])
def test_l1_other_categories_get_the_generic_first_response(
    file_report, isms_office, reporter, category
):
    report = file_report(actor=reporter)
    incident = triage.event_promote(event=report.event, actor=isms_office, category=category)
    codes = set(Task.objects.filter(incident=incident).values_list("code", flat=True))
    assert codes == {"G1-01", "G1-02", "G1-03", "G1-04", "G1-05"}
    staff_alert = Task.objects.get(incident=incident, code="G1-05")
    assert staff_alert.due_at == incident.declared_at + timedelta(minutes=30)


def test_l1_the_mail_categories_get_the_mail_list(incident):
    codes = set(Task.objects.filter(incident=incident).values_list("code", flat=True))
    assert codes == {f"L1-{n:02d}" for n in range(1, 13)}


# --- L3-b, L-D, L2-b ordering, the re-infection cycle -------------------------------------------


def test_l3b_a_compromised_file_server_with_confidential_contracts(incident, handler):
    fs = Asset.objects.create(
        organisation_id=incident.organisation_id,
        asset_tag="FS-09",
        kind="FILE_SERVER",
        holds_confidential_data=True,
    )
    findings.asset_infection_set(incident=incident, actor=handler, asset=fs, state="COMPROMISED")
    assert "L3-b" in _rules(incident)


def test_l3b_a_compromised_server_without_sensitive_data_is_not_level_3(incident, handler):
    fs = _asset(incident, "FS-10", kind="FILE_SERVER")
    findings.asset_infection_set(incident=incident, actor=handler, asset=fs, state="COMPROMISED")
    assert "L3-b" not in _rules(incident)


def test_ld_an_approved_lowering_keeps_the_recommendation_of_rules_that_still_fire(
    incident, handler, csirt_lead
):
    _infect(incident, handler, "PC-2")
    _decide(Decision.objects.get(incident=incident, type="ESCALATE_LEVEL"), csirt_lead)
    down = levels.level_lower_request(
        incident=_refresh(incident), actor=csirt_lead, target=1, reason="業務影響なし"
    )
    _decide(down, csirt_lead)
    incident = _refresh(incident)
    assert (incident.level, incident.recommended_level) == (1, 2)


def test_ld_lowering_when_no_rule_fires_any_more_lowers_the_recommendation(
    incident, handler, csirt_lead
):
    pc2 = _infect(incident, handler, "PC-2")
    _decide(Decision.objects.get(incident=incident, type="ESCALATE_LEVEL"), csirt_lead)
    assets.affected_asset_update(affected=pc2, actor=handler, changes={"infection_state": "NONE"})
    incident.affected_assets.exclude(pk=pc2.pk).update(
        isolated_at=None, containment_state="NOT_CONTAINED"
    )
    assets.affected_asset_update(
        affected=pc2, actor=handler, changes={"remediation_state": "CLEANED"}
    )
    down = levels.level_lower_request(
        incident=_refresh(incident), actor=csirt_lead, target=1, reason="誤検知"
    )
    _decide(down, csirt_lead)
    incident = _refresh(incident)
    assert (incident.level, incident.recommended_level) == (1, 1)


def test_l2b_an_isolation_after_the_new_infection_is_not_the_trend(incident, handler):
    """PC-12 is infected but still connected when PC-2 is seen infected; unplugging PC-12
    afterwards does not make PC-2 "a new infection after an isolation"."""
    first = incident.affected_assets.get()
    assets.affected_asset_update(
        affected=first, actor=handler, changes={"containment_state": "NOT_CONTAINED"}
    )
    seen = timezone.now() - timedelta(minutes=10)
    _infect(incident, handler, "PC-2", observed_at=seen)
    assets.affected_asset_update(
        affected=first,
        actor=handler,
        changes={"containment_state": "ISOLATED", "isolated_at": seen + timedelta(minutes=5)},
    )
    assert _rules(incident) == {"L2-a"}


@pytest.mark.parametrize("status", ["RECOVERING", "MONITORING"])
def test_reinfection_while_recovering_or_monitoring_goes_back_to_containing(
    incident, handler, status
):
    Incident.objects.filter(pk=incident.pk).update(status=status)
    _infect(incident, handler, "PC-30")
    incident = _refresh(incident)
    assert incident.status == "CONTAINING"
    entry = incident.timeline.filter(kind="incident.status_changed").get()
    assert entry.payload == {"from": status, "to": "CONTAINING", "reason": "reinfection"}


def test_a_worse_state_of_an_already_infected_pc_is_not_a_reinfection(incident, handler):
    Incident.objects.filter(pk=incident.pk).update(status="RECOVERING")
    findings.asset_infection_set(
        incident=incident,
        actor=handler,
        asset=incident.affected_assets.get().asset,
        state="CONFIRMED",
    )
    assert _refresh(incident).status == "RECOVERING"


def test_a_new_infection_while_eradicating_does_not_move_the_status(incident, handler):
    Incident.objects.filter(pk=incident.pk).update(status="ERADICATING")
    _infect(incident, handler, "PC-31")
    assert _refresh(incident).status == "ERADICATING"
