"""Concurrent reports take distinct, gap-free numbers from the locked report counter (issue 18
item 1), on real PostgreSQL connections."""

import pytest

from incidents.models import Report
from incidents.services import intake
from tests.incidents.test_concurrency import _race

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_reports_of_different_emails_take_distinct_consecutive_numbers(organisation):
    def submit(n):
        data = intake.ReportInput(
            sender=f"s{n}@evil.example", subject=f"別のメール {n}", reporter_email=f"p{n}@x.example"
        )
        return lambda: intake.report_submit(organisation=organisation, actor=None, data=data)

    results = _race([submit(n) for n in range(6)])
    assert all(isinstance(r, Report) for r in results), results
    assert sorted(r.seq for r in results) == [1, 2, 3, 4, 5, 6]
    assert len({r.number for r in results}) == 6


def test_an_exercise_report_and_a_real_report_filed_at_once_each_take_number_one(organisation):
    def submit(exercise):
        data = intake.ReportInput(
            sender="a@evil.example", subject=f"件名 {exercise}", exercise=exercise
        )
        return lambda: intake.report_submit(organisation=organisation, actor=None, data=data)

    real, drill = _race([submit(False), submit(True)])
    assert (real.seq, drill.seq) == (1, 1)
    assert real.number.startswith("R-") and drill.number.startswith("EX-R-")
