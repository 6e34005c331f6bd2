"""Two workers on one row, two sweeps on one alert: one wins, on real PostgreSQL connections."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from notifications.models import Alert, Notification
from notifications.services import delivery
from notifications.services.escalation import alerts_escalate
from tests.incidents.test_concurrency import _race

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_delivering_one_row_at_once_send_it_once(pushed, receiver):
    row = pushed()
    results = _race([lambda: delivery.notification_deliver(pk=row.pk)] * 3)
    assert sorted(results) == ["delivered", "skipped", "skipped"], results
    assert len(receiver.to("/hook")) == 1
    assert Notification.objects.get(pk=row.pk).attempts == 1


def test_two_acknowledgement_sweeps_at_once_escalate_once(open_decision, decision_maker, deputy):
    open_decision("ESTABLISH_IRT")
    alert = Alert.objects.get(event="decision.opened")
    with time_machine.travel(alert.ack_due_at + timedelta(seconds=1), tick=False):
        results = _race([alerts_escalate, alerts_escalate, alerts_escalate])
    assert sum(r.escalated for r in results) == 1, results
    assert Notification.objects.filter(alert=alert, step=1, recipient=deputy).count() == 2
