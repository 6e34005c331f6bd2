"""Issue 5's scenario: 12 recipients of one targeted email over three hours; two execute the
attachment 40 minutes apart, the first PC already isolated; then C2 traffic is seen."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from bcp.models import Decision
from bcp.services import decisions
from incidents.models import Asset, Incident, Task
from incidents.services import assets, findings, indicators, intake, triage
from risklevels.models import FiredRule, LevelChange
from tests.incidents.conftest import PHISH

JST = ZoneInfo("Asia/Tokyo")
T0 = datetime(2026, 11, 24, 9, 0, tzinfo=JST)


def _report(organisation, n):
    data = intake.ReportInput(
        **{**PHISH, "what_happened": "RECEIVED_ONLY"},
        reporter_email=f"staff{n:02d}@example.com",
        reporter_name=f"社員{n:02d}",
    )
    return intake.report_submit(organisation=organisation, actor=None, data=data)


class Forward:
    """The scenario's clock: it only moves forward (a step back is a mistake in the test)."""

    def __init__(self, traveller, start):
        self.traveller, self.now = traveller, start

    def move_to(self, moment):
        assert moment >= self.now, f"the clock would run backwards: {self.now} → {moment}"
        self.traveller.move_to(moment)
        self.now = moment


def _open_decisions(incident):
    return {d.type: d for d in Decision.objects.filter(incident=incident, status="OPEN")}


def test_targeted_email_wave_escalates_to_level_2_with_its_decisions_and_checklists(
    organisation, isms_office, handler, csirt_lead, decision_maker, deputy
):
    with time_machine.travel(T0, tick=False) as traveller:
        clock = Forward(traveller, T0)
        first = _report(organisation, 1)
        clock.move_to(T0 + timedelta(minutes=5))
        incident = triage.event_promote(event=first.event, actor=isms_office)
        assert Task.objects.filter(incident=incident, level=1).count() == 12

        for n in range(2, 13):  # the other 11 recipients report over three hours
            clock.move_to(T0 + timedelta(minutes=15 * n))
            assert _report(organisation, n).incident == incident
        assert incident.mail_messages.get().deliveries.count() == 12

        pc2 = Asset.objects.create(organisation=organisation, asset_tag="PC-02")
        pc3 = Asset.objects.create(organisation=organisation, asset_tag="PC-03")
        deliveries = list(incident.mail_messages.get().deliveries.order_by("id"))

        first_execution = T0 + timedelta(hours=3, minutes=10)  # after the last report
        clock.move_to(first_execution)
        findings.delivery_mark_executed(delivery=deliveries[1], actor=handler, asset=pc2)
        clock.move_to(first_execution + timedelta(minutes=2))
        affected = incident.affected_assets.get(asset=pc2)
        assets.affected_asset_update(
            affected=affected,
            actor=handler,
            changes={"containment_state": "ISOLATED", "isolation_method": "LAN_UNPLUG"},
        )
        incident.refresh_from_db()
        assert (incident.level, incident.recommended_level) == (1, 1)
        assert not _open_decisions(incident)

        second_execution = first_execution + timedelta(minutes=40)
        clock.move_to(second_execution)
        findings.delivery_mark_executed(delivery=deliveries[2], actor=handler, asset=pc3)
        incident.refresh_from_db()
        assert incident.recommended_level == 2
        rules = dict(FiredRule.objects.filter(incident=incident).values_list("rule_id", "first_at"))
        assert rules == {"L2-a": second_execution, "L2-b": second_execution}
        opened = _open_decisions(incident)
        assert set(opened) == {
            "ESCALATE_LEVEL",
            "ESTABLISH_IRT",
            "ACTIVATE_CYBER_BCP",
            "CUT_ALL_EXTERNAL_NETWORK",
        }
        assert opened["ESCALATE_LEVEL"].due_at == second_execution + timedelta(minutes=15)
        assert opened["ESCALATE_LEVEL"].assignee == csirt_lead
        for kind in ("ESTABLISH_IRT", "ACTIVATE_CYBER_BCP", "CUT_ALL_EXTERNAL_NETWORK"):
            assert opened[kind].due_at == second_execution + timedelta(minutes=30)
            assert opened[kind].assignee == decision_maker
        assert "L2-a" in opened["ESCALATE_LEVEL"].reason
        # D-1: the level-2 checklist is issued with the gate, before anyone approves level 2.
        assert Task.objects.filter(incident=incident, level=2).count() == 12

        clock.move_to(second_execution + timedelta(minutes=10))
        decisions.decision_decide(
            decision=opened["ESCALATE_LEVEL"],
            actor=csirt_lead,
            outcome="APPROVED",
            rationale="2台目の感染を確認",
        )
        incident = Incident.objects.get(pk=incident.pk)
        assert incident.level == 2
        assert Task.objects.filter(incident=incident, level=2).count() == 12
        assert LevelChange.objects.get(incident=incident).fired_rules == ["L2-a", "L2-b"]

        clock.move_to(second_execution + timedelta(minutes=50))
        findings.external_comm_record(
            incident=incident,
            actor=handler,
            status="CONFIRMED",
            asset=pc3,
            c2=indicators.c2_indicator_for(
                incident=incident, actor=handler, value="cdn-update.example"
            ),
        )
        incident.refresh_from_db()
        assert "L2-d" in set(
            FiredRule.objects.filter(incident=incident).values_list("rule_id", flat=True)
        )
        assert incident.recommended_level == 2
        assert Decision.objects.filter(incident=incident).count() == 4  # no duplicates
        assert Task.objects.filter(incident=incident, level=2).count() == 12
