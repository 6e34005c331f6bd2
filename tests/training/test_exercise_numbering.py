"""Exercise incidents number from a sequence of their own (EX-YYYY-NNNN) and never consume the
real INC-YYYY-NNNN sequence (issue 18 item 1)."""

from datetime import timedelta

import pytest
import time_machine

from incidents.models import Incident, TimelineEntry
from incidents.services import intake, records
from tests.training.test_exercises import WALL, at
from training import scenario
from training.services import exercises


@pytest.fixture
def stepped(organisation, isms_office, csirt_lead, decision_maker, deputy, handler):
    with time_machine.travel(WALL, tick=False):
        return _start(organisation, isms_office)


def _start(organisation, actor):
    return exercises.exercise_start(
        organisation=organisation,
        actor=actor,
        document=scenario.samples()["level1-isolate-to-level2-spread"],
        mode="STEPPED",
        starts_at=at(),
    )


def _play_first_report(exercise, actor):
    with time_machine.travel(WALL + timedelta(minutes=1), tick=False):
        exercises.exercise_advance(exercise=exercise, actor=actor, to=at(minutes=10))
    return Incident.objects.get(exercise_link__exercise=exercise)


def _declare_real(organisation, actor):
    with time_machine.travel(WALL + timedelta(minutes=2), tick=False):
        return records.incident_declare(
            organisation=organisation, actor=actor, title="実インシデント", category="MALWARE"
        )


def test_a_real_incident_declared_after_an_exercise_one_has_the_next_real_number(
    organisation, isms_office, csirt_lead, stepped
):
    first = _declare_real(organisation, csirt_lead)
    drill = _play_first_report(stepped, isms_office)
    second = _declare_real(organisation, csirt_lead)
    assert (first.ref, second.ref) == ("INC-2026-0001", "INC-2026-0002")
    assert drill.ref == "EX-2026-0001"
    assert (drill.seq, second.seq) == (1, 2)


def test_an_incident_promoted_from_an_exercise_report_is_flagged_before_it_is_declared(
    stepped, isms_office
):
    drill = _play_first_report(stepped, isms_office)
    assert drill.is_exercise
    declared = TimelineEntry.objects.get(incident=drill, kind="incident.declared")
    # The number it was declared with is the exercise's own, on its timeline from the start.
    assert declared.payload["ref"] == drill.ref == "EX-2026-0001"


def test_two_exercises_number_their_incidents_one_after_the_other(
    organisation, isms_office, stepped
):
    _play_first_report(stepped, isms_office)
    with time_machine.travel(WALL, tick=False):
        other = _start(organisation, isms_office)
    assert _play_first_report(other, isms_office).ref == "EX-2026-0002"
    assert not Incident.objects.filter(ref__startswith="INC-").exists()


def _report_real(organisation, n):
    with time_machine.travel(WALL + timedelta(minutes=2, seconds=n), tick=False):
        return intake.report_submit(
            organisation=organisation,
            actor=None,
            data=intake.ReportInput(
                sender=f"real{n}@evil.example",
                subject=f"実際の不審メール {n}",
                reporter_email=f"r{n}@example.com",
            ),
        )


def test_a_real_report_filed_after_an_exercise_report_has_the_next_real_number(
    organisation, isms_office, stepped
):
    first = _report_real(organisation, 1)
    drill = _play_first_report(stepped, isms_office).reports.get()
    second = _report_real(organisation, 2)
    assert (first.number, second.number) == ("R-2026-000001", "R-2026-000002")
    assert drill.number == "EX-R-2026-0001"
    assert drill.is_exercise and not second.is_exercise


def test_the_report_list_finds_a_report_by_its_number_and_an_ex_number_finds_no_real_one(
    organisation, isms_office, stepped
):
    from dashboard.selectors.lists import report_rows

    first = _report_real(organisation, 1)
    second = _report_real(organisation, 2)
    assert list(report_rows(isms_office, q="R-2026-000002")) == [second]
    assert list(report_rows(isms_office, q="1")) == [first]
    assert list(report_rows(isms_office, q="EX-R-2026-0001")) == []
