"""The sweeps: re-queue what was not taken, alert once per overdue task."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from incidents.services import tasks as incident_tasks
from notifications.models import Alert, Notification
from notifications.services import delivery, sweeps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _earlier_alerts_delivered(incident):
    """The incident's own alerts (report received) are not what these tests watch."""
    Notification.objects.filter(state="PENDING").update(
        state="DELIVERED", delivered_at=timezone.now()
    )


@pytest.fixture
def queued(monkeypatch):
    sent: list[list[int]] = []
    monkeypatch.setattr(sweeps, "enqueue", lambda ids, **kw: sent.append(list(ids)) or True)
    return sent


def test_a_pending_row_is_requeued_after_the_grace_period_only(
    open_decision, decision_maker, queued
):
    open_decision("ESTABLISH_IRT")
    row = Notification.objects.get(state="PENDING", alert__event="decision.opened")
    assert sweeps.notifications_requeue() == 0  # the on-commit message may still come
    later = timezone.now() + timedelta(seconds=11)
    with time_machine.travel(later, tick=False):
        assert sweeps.notifications_requeue() == 1
        assert sweeps.notifications_requeue() == 0  # just queued: not again right away
    assert row.pk in queued[0]
    with time_machine.travel(later + timedelta(seconds=11), tick=False):
        assert sweeps.notifications_requeue() == 1  # still not taken: once more


def test_a_lapsed_claim_is_requeued(open_decision, decision_maker, queued):
    open_decision("ESTABLISH_IRT")
    row = Notification.objects.get(state="PENDING", alert__event="decision.opened")
    delivery.notification_claim(pk=row.pk)
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        assert sweeps.notifications_requeue() == 0  # the claim still holds
    with time_machine.travel(timezone.now() + timedelta(seconds=45), tick=False):
        assert sweeps.notifications_requeue() == 1


def test_when_the_broker_is_still_down_the_rows_stay_due(
    open_decision, decision_maker, monkeypatch
):
    monkeypatch.setattr(sweeps, "enqueue", lambda ids, **kw: False)
    open_decision("ESTABLISH_IRT")
    with time_machine.travel(timezone.now() + timedelta(seconds=11), tick=False):
        assert sweeps.notifications_requeue() == 1
        assert sweeps.notifications_requeue() == 1
    assert Notification.objects.filter(state="PENDING", queued_at=None).exists()


def test_an_overdue_task_alerts_its_owner_once(incident, handler, isms_office):
    task = incident_tasks.task_create(
        incident=incident, actor=isms_office, title="端末を隔離する", owner_role="INCIDENT_HANDLER"
    )
    type(task).objects.filter(pk=task.pk).update(due_at=timezone.now() + timedelta(minutes=5))
    assert sweeps.tasks_overdue_alert() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert sweeps.tasks_overdue_alert() == 2  # the owner's (to acknowledge) and the office's
        assert sweeps.tasks_overdue_alert() == 0
    action = Alert.objects.get(event="task.overdue", needs_ack=True)
    assert action.last_holder == handler and action.subject == f"task:{task.pk}"
    info = Alert.objects.get(event="task.overdue", needs_ack=False)
    assert set(info.notifications.values_list("recipient__username", flat=True)) == {"isms"}
