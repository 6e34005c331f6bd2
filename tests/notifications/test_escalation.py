"""No acknowledgement by the deadline: send again and to the next holder, then flag it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from incidents.models import TimelineEntry
from notifications.models import Alert, Notification
from notifications.services.acknowledge import alert_acknowledge
from notifications.services.escalation import alerts_escalate
from tests.conftest import _holder

pytestmark = pytest.mark.django_db


def _decision_alert():
    return Alert.objects.get(event="decision.opened")


def _step_rows(alert, step):
    return sorted(
        Notification.objects.filter(alert=alert, step=step).values_list(
            "recipient__username", "channel__kind"
        )
    )


def test_the_deadline_is_ten_minutes_for_decision_alerts(open_decision, decision_maker):
    open_decision()
    alert = _decision_alert()
    assert alert.ack_due_at == alert.created_at + timedelta(minutes=10)


def test_past_the_deadline_the_alert_goes_again_and_to_the_deputy(
    open_decision, decision_maker, deputy
):
    open_decision()
    alert = _decision_alert()
    with time_machine.travel(alert.ack_due_at + timedelta(seconds=1), tick=False):
        result = alerts_escalate()
        again = alerts_escalate()
    assert (result.escalated, again.escalated) == (1, 0)
    alert.refresh_from_db()
    assert alert.escalation_step == 1 and alert.last_holder == deputy
    assert _step_rows(alert, 1) == [
        ("deputy", "EMAIL"),
        ("deputy", "IN_APP"),
        ("president", "EMAIL"),
        ("president", "IN_APP"),
    ]
    entry = TimelineEntry.objects.get(kind="alert.escalated")
    assert entry.payload["to"] == deputy.pk


def test_the_chain_skips_absent_holders_and_ends_flagged_unacknowledged(
    organisation, open_decision, decision_maker, deputy, absent
):
    third = _holder(organisation, "DECISION_MAKER", "third", priority=3)
    absent(deputy)
    open_decision()
    alert = _decision_alert()
    with time_machine.travel(alert.ack_due_at + timedelta(seconds=1), tick=False):
        alerts_escalate()
    alert.refresh_from_db()
    assert alert.last_holder == third  # the deputy is away
    with time_machine.travel(alert.ack_due_at + timedelta(seconds=1), tick=False):
        assert alerts_escalate().exhausted == 1
    alert.refresh_from_db()
    assert alert.exhausted_at is not None and alert in Alert.objects.unacknowledged()
    assert TimelineEntry.objects.filter(kind="alert.unacknowledged").count() == 1
    with time_machine.travel(alert.ack_due_at + timedelta(hours=1), tick=False):
        assert alerts_escalate().exhausted == 0  # flagged once


def test_an_acknowledged_alert_does_not_escalate(open_decision, decision_maker, deputy):
    open_decision()
    alert = _decision_alert()
    alert_acknowledge(alert=alert, actor=decision_maker)
    with time_machine.travel(alert.ack_due_at + timedelta(seconds=1), tick=False):
        assert alerts_escalate().escalated == 0
    assert not Notification.objects.filter(alert=alert, step=1).exists()


def test_a_decided_decision_stops_its_alerts(open_decision, decision_maker, deputy):
    from bcp.services import decisions

    decision = open_decision("ESTABLISH_IRT")
    alert = _decision_alert()
    decisions.decision_decide(
        decision=decision, actor=decision_maker, outcome="APPROVED", rationale="判断"
    )
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    with time_machine.travel(alert.ack_due_at + timedelta(seconds=1), tick=False):
        assert alerts_escalate().escalated == 0


def test_a_deputy_without_authority_for_the_type_is_skipped(
    organisation, open_decision, decision_maker, deputy
):
    from accounts.models import RoleAssignment

    RoleAssignment.objects.filter(user=deputy).update(authority_scope=["ESTABLISH_IRT"])
    open_decision("CUT_ALL_EXTERNAL_NETWORK")
    alert = _decision_alert()
    with time_machine.travel(alert.ack_due_at + timedelta(seconds=1), tick=False):
        assert alerts_escalate().exhausted == 1


def test_the_deadline_comes_from_the_setting(open_decision, decision_maker, settings):
    settings.ALERT_ACK_SECONDS = 5
    open_decision()
    alert = _decision_alert()
    assert alert.ack_due_at == alert.created_at + timedelta(seconds=5)


def test_the_real_sweep_leaves_exercise_alerts_to_the_exercise_clock(
    incident, open_decision, decision_maker, deputy
):
    from incidents.models import Incident

    Incident.objects.filter(pk=incident.pk).update(is_exercise=True)
    open_decision()
    alert = _decision_alert()
    with time_machine.travel(alert.ack_due_at + timedelta(hours=1), tick=False):
        assert alerts_escalate().escalated == 0
