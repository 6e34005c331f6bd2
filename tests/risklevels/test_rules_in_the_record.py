"""Each escalation rule, driven through the services on PostgreSQL (named after its id)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bcp.models import Decision
from bcp.services import decisions
from incidents.models import AffectedAsset, Asset, Incident, Task
from incidents.services import findings
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


def test_x2_confirmed_c2_traffic_raises_the_host_and_the_incident(incident, handler):
    pc = _asset(incident, "PC-88")
    findings.external_comm_record(
        incident=incident, actor=handler, status="CONFIRMED", asset=pc, to_c2=True
    )
    incident = _refresh(incident)
    assert incident.external_comm_status == "CONFIRMED"
    assert AffectedAsset.objects.get(incident=incident, asset=pc).infection_state == "SUSPECTED"


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
