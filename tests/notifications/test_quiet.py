"""Quiet hours hold pushed channels, except for decisions at level 2 and above."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from incidents.models import Incident
from notifications.models import Alert, Notification, NotificationPolicy
from notifications.services import quiet

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def night(organisation):
    NotificationPolicy.objects.create(
        organisation=organisation, quiet_start=time(22, 0), quiet_end=time(7, 0)
    )


def test_the_window_may_span_midnight():
    assert quiet.in_window(time(23, 0), time(22, 0), time(7, 0))
    assert quiet.in_window(time(6, 59), time(22, 0), time(7, 0))
    assert not quiet.in_window(time(7, 0), time(22, 0), time(7, 0))
    assert quiet.in_window(time(13, 0), time(12, 0), time(14, 0))


def test_at_night_a_level_one_alert_waits_for_the_morning_but_shows_in_the_app(
    night, open_decision, decision_maker
):
    with time_machine.travel(datetime(2026, 5, 1, 23, 30, tzinfo=TOKYO), tick=False):
        open_decision("ESTABLISH_IRT")
    alert = Alert.objects.get(event="decision.opened")
    assert alert.quiet
    email = Notification.objects.get(alert=alert, channel__kind="EMAIL")
    assert email.next_attempt_at == datetime(2026, 5, 2, 7, 0, tzinfo=TOKYO)
    assert Notification.objects.get(alert=alert, channel__kind="IN_APP").state == "DELIVERED"
    assert alert.ack_due_at > email.next_attempt_at  # the deadline starts in the morning


def test_a_level_two_decision_is_sent_at_once_at_night(
    night, incident, open_decision, decision_maker
):
    Incident.objects.filter(pk=incident.pk).update(level=2)
    incident.refresh_from_db()
    at = datetime(2026, 5, 1, 23, 30, tzinfo=TOKYO)
    with time_machine.travel(at, tick=False):
        open_decision("ESTABLISH_IRT")
    alert = Alert.objects.get(event="decision.opened")
    assert not alert.quiet
    assert Notification.objects.get(alert=alert, channel__kind="EMAIL").next_attempt_at == at
