"""Acknowledging: by a recipient only, once, visible with who and how."""

from __future__ import annotations

import pytest

from common.errors import Conflict, Forbidden
from incidents.models import TimelineEntry
from notifications.models import Alert
from notifications.services.acknowledge import alert_acknowledge

pytestmark = pytest.mark.django_db


def test_the_recipient_acknowledges_once_and_it_is_on_the_timeline(open_decision, decision_maker):
    open_decision()
    alert = Alert.objects.get(event="decision.opened")
    acknowledged = alert_acknowledge(alert=alert, actor=decision_maker, via="LINK")
    assert acknowledged.acknowledged_by == decision_maker
    assert acknowledged.acknowledged_via == "LINK"
    first_time = acknowledged.acknowledged_at
    again = alert_acknowledge(alert=alert, actor=decision_maker, via="APP")
    assert again.acknowledged_at == first_time and again.acknowledged_via == "LINK"
    assert TimelineEntry.objects.filter(kind="alert.acknowledged").count() == 1


def test_someone_the_alert_was_not_sent_to_cannot_acknowledge(
    open_decision, decision_maker, isms_office
):
    open_decision()
    alert = Alert.objects.get(event="decision.opened")
    with pytest.raises(Forbidden):
        alert_acknowledge(alert=alert, actor=isms_office)
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_an_informational_alert_needs_no_acknowledgement(open_decision, decision_maker):
    open_decision()  # a BCP decision also moves the BCP state: an informational alert
    info = Alert.objects.get(event="bcp.state_changed")
    with pytest.raises(Conflict):
        alert_acknowledge(alert=info, actor=decision_maker)
