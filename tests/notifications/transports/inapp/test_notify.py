"""In-app: delivered by the commit that wrote it; an inactive account fails it."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from notifications.transports import TransportError
from notifications.transports.inapp import InAppTransport

pytestmark = pytest.mark.django_db


def test_the_in_app_row_is_delivered_when_written(open_decision, decision_maker):
    open_decision()
    row = Notification.objects.get(
        channel__kind="IN_APP", recipient=decision_maker, alert__event="decision.opened"
    )
    assert row.state == "DELIVERED" and row.delivered_at is not None
    assert InAppTransport(row.channel).notify(row, message=None) is None  # type: ignore[arg-type]


def test_an_inactive_recipient_fails_the_in_app_row(open_decision, decision_maker):
    decision_maker.is_active = False
    decision_maker.save()
    open_decision()
    row = Notification.objects.get(
        channel__kind="IN_APP", recipient=decision_maker, alert__event="decision.opened"
    )
    assert row.state == "FAILED" and "inactive" in row.last_error
    with pytest.raises(TransportError) as caught:
        InAppTransport.check(decision_maker)
    assert caught.value.permanent
