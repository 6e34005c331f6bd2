"""Issue 16's acceptance on the demo (`make run`): a level-3 leak of the 2,300-person customer
ledger by a cyber attack creates the PPC 速報 (+72 h / +120 h from the observed time), the 確報
(the end of day 60), the individual notice and the police/IPA recommendations, alerts legal,
blocks the close until each is done or waived; the PPC report has every item the record knows."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import time_machine
from django.core.management import call_command

from accounts.models import User
from bcp.models import Decision
from incidents.models import Incident
from incidents.services import transitions
from notifications.models import Alert, Notification
from privacy import clocks
from privacy.models import DataSet, Obligation
from privacy.services import leaks, ppc
from tests.privacy.conftest import jst

OBSERVED = jst(2025, 12, 1, 10, 30)


def test_on_the_demo_a_customer_ledger_leak_starts_every_appi_clock(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with time_machine.travel(OBSERVED + timedelta(minutes=20), tick=False):
        call_command("seed_demo", stdout=StringIO())
        incident = Incident.objects.filter(is_exercise=False).earliest("id")
        ledger = DataSet.objects.get(name="顧客台帳")
        assert ledger.individuals_count == 2300
        handler = User.objects.get(username="handler")
        leaks.data_leak_record(
            incident=incident,
            actor=handler,
            data_set=ledger,
            kind="EXFIL_SUSPECTED",
            observed_at=OBSERVED,
            volume="約2,300件のCSV",
        )
    incident.refresh_from_db()
    assert incident.recommended_level == 3 and incident.tlp == "RED"
    rows = {o.kind: o for o in Obligation.objects.filter(incident=incident)}
    assert set(rows) == {
        "PPC_SOKUHO",
        "PPC_KAKUHO",
        "INDIVIDUAL_NOTICE",
        "POLICE_CONSULT",
        "IPA_NOTIFICATION",
    }
    assert rows["PPC_SOKUHO"].soft_due_at == OBSERVED + timedelta(hours=72)
    assert rows["PPC_SOKUHO"].due_at == OBSERVED + timedelta(hours=120)
    assert rows["PPC_KAKUHO"].due_at == clocks.kakuho(OBSERVED, {3, 4}, "Asia/Tokyo")
    assert rows["PPC_KAKUHO"].due_at == jst(2026, 1, 29, 23, 59, 59)  # day 60
    legal = User.objects.get(username="legal")
    decision = Decision.objects.get(incident=incident, type="APPI_REPORTABILITY")
    assert decision.assignee == legal
    assert Notification.objects.filter(alert__event="decision.opened", recipient=legal).exists()
    with time_machine.travel(rows["PPC_SOKUHO"].soft_due_at + timedelta(minutes=1), tick=False):
        from privacy.services import reminders

        reminders.obligations_alert()
    assert Alert.objects.filter(event="obligation.due", payload__which="soft").exists()

    Incident.objects.filter(pk=incident.pk).update(status="REVIEWING")
    incident.refresh_from_db()
    failed = {
        row["code"]
        for row in transitions.transition_checklist(incident, "CLOSED", current="REVIEWING")
        if not row["ok"]
    }
    assert "C1-OBLIGATIONS" in failed

    report = {key: text for key, _label, text, _empty in ppc.report_view(incident, "SOKUHO").items}
    assert "顧客台帳" in report["data_items"] and "氏名" in report["data_items"]
    assert "2,300" in report["individuals"]
    assert report["cause"] and report["summary"] and report["other"]
