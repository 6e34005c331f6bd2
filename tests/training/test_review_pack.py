"""The management review pack: real incidents only, the times that matter, and the readiness
records of the period, as a Japanese page."""

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.urls import reverse

from bcp.models import Decision
from bcp.services import decisions
from incidents.models import Asset
from incidents.services import assets, findings, triage
from training import scenario
from training.models import CsirtFunction
from training.selectors.review import review_pack
from training.services import csirt, exercises

T0 = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)  # 09:00 JST


def _real_level2_incident(file_report, reporter, isms_office, handler, csirt_lead, organisation):
    with time_machine.travel(T0, tick=False) as clock:
        report = file_report(actor=reporter, asset_label="PC-12", cable_pulled=False)
        clock.move_to(T0 + timedelta(minutes=12))
        incident = triage.event_promote(event=report.event, actor=isms_office)
        clock.move_to(T0 + timedelta(minutes=20))
        affected = incident.affected_assets.get()
        assets.affected_asset_update(
            affected=affected,
            actor=handler,
            changes={"containment_state": "ISOLATED", "isolation_method": "LAN_UNPLUG"},
        )
        clock.move_to(T0 + timedelta(minutes=40))
        pc2 = Asset.objects.create(organisation=organisation, asset_tag="PC-13")
        findings.asset_infection_set(incident=incident, actor=handler, asset=pc2, state="SUSPECTED")
        clock.move_to(T0 + timedelta(minutes=50))
        escalate = Decision.objects.get(incident=incident, type="ESCALATE_LEVEL")
        decisions.decision_decide(
            decision=escalate, actor=csirt_lead, outcome="APPROVED", rationale="拡散"
        )
    return incident


def test_exercise_incidents_are_absent_from_real_statistics(
    organisation, file_report, reporter, isms_office, handler, csirt_lead, decision_maker
):
    real = _real_level2_incident(
        file_report, reporter, isms_office, handler, csirt_lead, organisation
    )
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        exercise = exercises.exercise_start(
            organisation=organisation,
            actor=isms_office,
            document=scenario.samples()["level3-leak"],
            mode="STEPPED",
        )
        exercises.exercise_advance(
            exercise=exercise, actor=isms_office, to=exercise.starts_at + timedelta(hours=3)
        )
        exercises.exercise_finish(exercise=exercise, actor=isms_office, findings="遮断判断が遅い")

    pack = review_pack(user=isms_office, start=date(2026, 5, 1), end=date(2026, 6, 30))
    assert pack.incidents == 1
    assert pack.exercise_incidents_left_out == 1
    assert pack.by_level == [(1, 0), (2, 1), (3, 0)]  # the level-3 exercise is not there
    assert pack.open_at_end == 1
    assert pack.triage.count == 1 and pack.triage.median == 12.0
    # Known infected at the report (09:00), isolated at 09:20: over the 15-minute target.
    assert (pack.isolation.count, pack.isolation.median, pack.isolation.over_target) == (1, 20.0, 1)
    escalations = {row.type: row for row in pack.decisions}["ESCALATE_LEVEL"]
    assert (escalations.durations.count, escalations.durations.median) == (1, 10.0)
    assert (escalations.on_time, escalations.with_deadline) == (1, 1)
    assert all(
        d.incident_id == real.pk for d in Decision.objects.filter(incident__is_exercise=False)
    )
    assert [r.exercise.findings for r in pack.exercises] == ["遮断判断が遅い"]


def test_the_pack_lists_csirt_changes_and_training_records(
    client, organisation, isms_office, basics_course, make_person
):
    with time_machine.travel(T0, tick=False):
        csirt.csirt_function_set(
            organisation=organisation,
            function=CsirtFunction.objects.get(number=9),
            actor=isms_office,
            mode="PLUS_ALPHA_OUTSOURCED",
            provider="MDR株式会社",
            step=2,
        )
    make_person("未受講 社員")
    client.force_login(isms_office)
    page = client.get(
        reverse("training:review"),
        {"start": "2026-05-01", "end": "2026-06-30"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "マネジメントレビュー" in body  # Japanese whatever the reader's language
    assert "MDR株式会社" in body
    assert "0 / 1 (0%)" in body
