"""Obligations: done with the receipt number, waived with a reason, C-1 at close, and their
alerts (soft due and due, once each; on the exercise clock in exercises)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from common import events
from common.errors import Conflict, InvalidInput
from incidents.models import Incident
from incidents.services import transitions
from notifications.models import Alert
from notifications.services.defaults import subscriptions_seed
from privacy.models import Obligation
from privacy.services import leaks, obligations, reminders
from tests.privacy.conftest import jst


@pytest.fixture
def leaked(case, customers, isms_office):
    leaks.data_leak_record(
        incident=case,
        actor=isms_office,
        data_set=customers,
        kind="EXFIL_SUSPECTED",
        observed_at=jst(2025, 12, 1, 9, 0),
    )
    return case


@pytest.fixture
def published():
    seen = []

    def handler(name, **data):
        seen.append((data["obligation"].kind, data["which"]))

    events.subscribe("obligation.due", handler)
    yield seen
    events._subscribers["obligation.due"].remove(handler)


def test_an_obligation_is_done_with_its_receipt_number_on_the_timeline(leaked, legal):
    sokuho = Obligation.objects.get(incident=leaked, kind="PPC_SOKUHO")
    obligations.obligation_done(obligation=sokuho, actor=legal, reference_no="PPC-2025-000123")

    sokuho.refresh_from_db()
    assert (sokuho.status, sokuho.reference_no) == ("DONE", "PPC-2025-000123")
    assert leaked.timeline.filter(kind="obligation.done").exists()
    with pytest.raises(Conflict):
        obligations.obligation_done(obligation=sokuho, actor=legal)


def test_waiving_needs_a_reason(leaked, legal):
    police = Obligation.objects.get(incident=leaked, kind="POLICE_CONSULT")
    with pytest.raises(InvalidInput):
        obligations.obligation_waive(obligation=police, actor=legal, reason=" ")
    obligations.obligation_waive(obligation=police, actor=legal, reason="被害届は不要と判断")
    police.refresh_from_db()
    assert police.status == "WAIVED"


def test_someone_without_the_owner_role_cannot_close_an_obligation(leaked, reporter):
    from incidents.access import PermissionDeniedError

    sokuho = Obligation.objects.get(incident=leaked, kind="PPC_SOKUHO")
    with pytest.raises(PermissionDeniedError):
        obligations.obligation_done(obligation=sokuho, actor=reporter, reference_no="x")


def test_c1_an_open_obligation_blocks_the_close_until_each_is_done_or_waived(leaked, legal):
    Incident.objects.filter(pk=leaked.pk).update(status="REVIEWING")
    leaked.refresh_from_db()
    checklist = transitions.transition_checklist(leaked, "CLOSED", current="REVIEWING")
    failed = {item["code"] for item in checklist if not item["ok"]}
    assert "C1-OBLIGATIONS" in failed

    for obligation in Obligation.objects.filter(incident=leaked, status="OPEN"):
        obligations.obligation_waive(obligation=obligation, actor=legal, reason="訓練のため")
    checklist = transitions.transition_checklist(leaked, "CLOSED", current="REVIEWING")
    assert "C1-OBLIGATIONS" not in {item["code"] for item in checklist if not item["ok"]}


def test_the_soft_due_and_the_due_alert_once_each(leaked, legal, published):
    sokuho = Obligation.objects.get(incident=leaked, kind="PPC_SOKUHO")
    with time_machine.travel(sokuho.soft_due_at + timedelta(minutes=1), tick=False):
        reminders.obligations_alert()
        reminders.obligations_alert()
    assert published.count(("PPC_SOKUHO", "soft")) == 1
    assert ("PPC_SOKUHO", "due") not in published
    with time_machine.travel(sokuho.due_at + timedelta(minutes=1), tick=False):
        reminders.obligations_alert()
        reminders.obligations_alert()
    assert published.count(("PPC_SOKUHO", "soft")) == 1
    assert published.count(("PPC_SOKUHO", "due")) == 1


def test_the_alerts_reach_legal_through_the_alert_channels(organisation, leaked, legal):
    subscriptions_seed(organisation=organisation)
    sokuho = Obligation.objects.get(incident=leaked, kind="PPC_SOKUHO")
    with time_machine.travel(sokuho.due_at + timedelta(minutes=1), tick=False):
        reminders.obligations_alert()
        alerts = Alert.objects.filter(event="obligation.due", subject=f"obligation:{sokuho.pk}")
        written = alerts.count()
        reminders.obligations_alert()
    assert written >= 2 and alerts.count() == written  # once each
    assert {a.payload["which"] for a in alerts} == {"soft", "due"}
    assert all(a.payload["owner_role"] == "LEGAL_PRIVACY" for a in alerts)


def test_a_done_obligation_raises_no_alert(leaked, legal, published):
    sokuho = Obligation.objects.get(incident=leaked, kind="PPC_SOKUHO")
    obligations.obligation_done(obligation=sokuho, actor=legal, reference_no="PPC-1")
    with time_machine.travel(sokuho.due_at + timedelta(days=1), tick=False):
        reminders.obligations_alert()
    assert ("PPC_SOKUHO", "due") not in published


def test_in_an_exercise_the_alerts_follow_the_exercise_clock_not_the_real_sweep(
    organisation, isms_office, csirt_lead, decision_maker, deputy, handler, legal, published
):
    from datetime import UTC, datetime

    from training import scenario
    from training.services import exercises

    wall = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    start = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    with time_machine.travel(wall, tick=False):
        exercise = exercises.exercise_start(
            organisation=organisation,
            actor=isms_office,
            document=scenario.samples()["level1-isolate-to-level2-spread"],
            mode="STEPPED",
            starts_at=start,
        )
    with time_machine.travel(wall + timedelta(minutes=1), tick=False):
        exercises.exercise_advance(
            exercise=exercise, actor=isms_office, to=start + timedelta(minutes=10)
        )
        incident = Incident.objects.get(exercise_link__exercise=exercise)
        obligations.obligation_ensure(
            incident=incident,
            kind="PPC_SOKUHO",
            actor=None,
            clock_start=start,
            soft_due_at=start + timedelta(hours=1),
            due_at=start + timedelta(hours=2),
        )
        reminders.obligations_alert(now=start + timedelta(days=3))  # the real sweep skips it
        assert published == []
        exercises.exercise_advance(
            exercise=exercise, actor=isms_office, to=start + timedelta(hours=3)
        )
    assert published == [("PPC_SOKUHO", "soft"), ("PPC_SOKUHO", "due")]
    sokuho = Obligation.objects.get(incident=incident, kind="PPC_SOKUHO")
    assert sokuho.soft_alerted_at == start + timedelta(hours=1)
    assert sokuho.due_alerted_at == start + timedelta(hours=2)


def test_an_exercise_inject_leaks_a_data_set_and_starts_the_appi_clocks_on_the_exercise_clock(
    organisation, isms_office, csirt_lead, decision_maker, deputy, handler, legal, customers
):
    from datetime import UTC, datetime

    from training import scenario
    from training.services import exercises

    wall = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    start = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    with time_machine.travel(wall, tick=False):
        exercise = exercises.exercise_start(
            organisation=organisation,
            actor=isms_office,
            document=scenario.samples()["level1-isolate-to-level2-spread"],
            mode="STEPPED",
            starts_at=start,
        )
    with time_machine.travel(wall + timedelta(minutes=1), tick=False):
        exercises.exercise_advance(
            exercise=exercise, actor=isms_office, to=start + timedelta(minutes=30)
        )
        exercises.exercise_inject(
            exercise=exercise,
            actor=isms_office,
            kind="leak",
            payload={"status": "SUSPECTED", "data_set": "顧客台帳", "leak_kind": "LEAK_CONFIRMED"},
        )
    incident = Incident.objects.get(exercise_link__exercise=exercise)
    sokuho = Obligation.objects.get(incident=incident, kind="PPC_SOKUHO")
    assert sokuho.clock_start == start + timedelta(minutes=30)  # exercise time, not the wall
    assert sokuho.due_at == start + timedelta(minutes=30, hours=120)


def test_the_owner_role_of_an_obligation_acknowledges_its_alert(organisation, case, isms_office):
    from notifications.models import Notification

    subscriptions_seed(organisation=organisation)
    insurer = obligations.obligation_add(
        incident=case,
        actor=isms_office,
        kind="INSURER",
        due_at=jst(2025, 12, 2, 12, 0),
        owner_role="ISMS_OFFICE",
    )
    with time_machine.travel(jst(2025, 12, 2, 12, 1), tick=False):
        reminders.obligations_alert()
    to_ack = Notification.objects.filter(
        alert__event="obligation.due",
        alert__needs_ack=True,
        alert__subject=f"obligation:{insurer.pk}",
    )
    assert {n.recipient for n in to_ack} == {isms_office}
