"""Rules, deadlines and checklist targets run on the organisation's clock: the ``observed_at``
of the fact (DOMAIN-MODEL §3: "t" is when the organisation learned it), not the moment someone
typed it in."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from bcp.models import Decision
from bcp.services.sweep import decisions_sweep
from incidents.models import Task
from incidents.services import findings, triage
from risklevels.models import FiredRule
from risklevels.services import facts

JST = ZoneInfo("Asia/Tokyo")
T0 = datetime(2026, 11, 24, 10, 0, tzinfo=JST)
MIN = timedelta(minutes=1)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def declared(clock, file_report, reporter, isms_office):
    """PC-12 opened the attachment and was unplugged at T0; the incident is declared at T0."""
    report = file_report(actor=reporter, asset_label="PC-12", cable_pulled=True)
    return triage.event_promote(event=report.event, actor=isms_office)


def _d1(incident):
    return Decision.objects.filter(incident=incident, opened_by_rule="D-1")


def test_d1_decisions_of_a_late_infection_are_due_30_minutes_after_it_was_observed(
    clock, declared, handler, csirt_lead, decision_maker, deputy
):
    clock.move_to(T0 + 60 * MIN)
    observed = T0 + 40 * MIN  # learned at 10:40, typed in at 11:00
    client = APIClient()
    client.force_authenticate(handler)
    response = client.post(
        f"/api/v1/incidents/{declared.ref}/facts/",
        {
            "kind": "infection",
            "asset_tag": "PC-2",
            "state": "SUSPECTED",
            "observed_at": observed.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert {(d.opened_at, d.due_at) for d in _d1(declared)} == {(observed, observed + 30 * MIN)}
    escalate = Decision.objects.get(incident=declared, type="ESCALATE_LEVEL")
    assert escalate.due_at == observed + 15 * MIN
    assert set(FiredRule.objects.filter(incident=declared).values_list("rule_id", "first_at")) == {
        ("L2-a", observed),
        ("L2-b", observed),
    }

    clock.move_to(observed + 30 * MIN - timedelta(seconds=1))
    decisions_sweep()
    assert set(_d1(declared).values_list("assignee", flat=True)) == {decision_maker.pk}
    clock.move_to(observed + 30 * MIN)
    decisions_sweep()
    assert set(_d1(declared).values_list("assignee", flat=True)) == {deputy.pk}


def test_a_rule_fires_when_its_condition_first_held_even_if_the_facts_came_in_out_of_order(
    clock, declared, handler
):
    """PC-2 was seen before PC-12 but entered later: two PCs were known from T0 (PC-12), and
    PC-12 was unplugged after PC-2's infection was seen, so the trend rule (L2-b) does not
    fire."""
    clock.move_to(T0 + 60 * MIN)
    facts.fact_record(
        incident=declared,
        actor=handler,
        kind="infection",
        asset_tag="PC-2",
        state="SUSPECTED",
        observed_at=T0 - 30 * MIN,
    )
    rules = dict(FiredRule.objects.filter(incident=declared).values_list("rule_id", "first_at"))
    assert rules == {"L2-a": T0}
    assert {d.due_at for d in _d1(declared)} == {T0 + 30 * MIN}


def test_external_communication_recorded_late_is_dated_when_it_was_seen(clock, declared, handler):
    clock.move_to(T0 + 90 * MIN)
    seen = T0 + 50 * MIN
    findings.external_comm_record(
        incident=declared, actor=handler, status="SUSPECTED", observed_at=seen
    )
    assert FiredRule.objects.get(incident=declared, rule_id="L2-d").first_at == seen
    assert {d.due_at for d in _d1(declared)} == {seen + 30 * MIN}


def test_n1_the_all_staff_alert_is_due_30_minutes_after_the_declaration(declared):
    alert = Task.objects.get(incident=declared, code="L1-02")
    assert alert.due_at == T0 + 30 * MIN
    others = Task.objects.filter(incident=declared, level=1).exclude(code="L1-02")
    assert not others.filter(due_at__isnull=False).exists()


def test_the_level_2_checklist_is_dated_at_the_gate(clock, declared, handler):
    clock.move_to(T0 + 60 * MIN)
    findings.leak_record(
        incident=declared,
        actor=handler,
        status="SUSPECTED",
        asset=declared.affected_assets.get().asset,
        observed_at=T0 + 45 * MIN,
    )
    from risklevels.models import ChecklistIssue

    issued = dict(ChecklistIssue.objects.filter(incident=declared).values_list("level", "at"))
    assert issued == {1: T0, 2: T0 + 45 * MIN}


def test_the_finding_form_takes_when_it_was_learned(clock, declared, handler, client):
    clock.move_to(T0 + 60 * MIN)
    client.force_login(handler)
    response = client.post(
        f"/incidents/{declared.ref}/findings/",
        {
            "kind": "infection",
            "asset_tag": "PC-2",
            "asset_kind": "PC",
            "state": "SUSPECTED",
            "via": "MAIL",
            "status": "SUSPECTED",
            "observed_at": "2026-11-24T10:40",  # the organisation's time zone (JST)
        },
    )
    assert response.status_code == 302
    assert {d.due_at for d in _d1(declared)} == {T0 + 70 * MIN}


def test_an_asset_isolated_late_is_dated_when_it_was_learned(clock, declared, handler):
    from incidents.services import assets

    clock.move_to(T0 + 60 * MIN)
    pc = declared.affected_assets.get()
    assets.affected_asset_update(
        affected=pc, actor=handler, changes={"containment_state": "NOT_CONTAINED"}
    )
    assets.affected_asset_update(
        affected=pc,
        actor=handler,
        changes={"containment_state": "ISOLATED"},
        observed_at=T0 + 50 * MIN,
    )
    pc.refresh_from_db()
    assert pc.isolated_at == T0 + 50 * MIN
    fact = declared.facts.filter(kind="ASSET_CONTAINMENT").order_by("-id").first()
    assert fact.observed_at == T0 + 50 * MIN
