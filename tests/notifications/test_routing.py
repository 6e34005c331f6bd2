"""Events write alerts and outbox rows in the publisher's transaction, to the right people."""

from __future__ import annotations

import pytest

from notifications.models import Alert, Notification

pytestmark = pytest.mark.django_db


def test_opening_a_decision_alerts_its_assignee_by_email_and_in_app(
    open_decision, decision_maker, deputy, isms_office
):
    decision = open_decision()
    alert = Alert.objects.get(event="decision.opened")
    assert alert.needs_ack and alert.subject == f"decision:{decision.pk}"
    assert alert.last_holder == decision_maker
    rows = Notification.objects.filter(alert=alert).values_list(
        "recipient__username", "channel__kind", "state"
    )
    assert sorted(rows) == [("president", "EMAIL", "PENDING"), ("president", "IN_APP", "DELIVERED")]
