"""Acceptance (issue 18): during a running exercise the real dashboard, lists, statistics,
triage queue and inboxes look exactly as they did before it started, and the deputy's inbox
shows the drill's decision only under 「訓練」."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from bcp.models import Decision
from bcp.services import decisions
from incidents.services import intake, records
from training import scenario
from training.services import exercises

WALL = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
LOOK = WALL + timedelta(minutes=5)  # both looks at the same wall moment
REAL_PAGES = (
    "/",
    "/dashboard/incidents/",
    "/dashboard/reports/",
    "/dashboard/decisions/",
    "/dashboard/tasks/",
    "/dashboard/alerts/",
    "/statistics/",
    "/triage/",
    "/decisions/",
    "/notifications/",
)
EXERCISE_SECTION = '<section class="inbox exercise-section"'
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
SECTION = re.compile(EXERCISE_SECTION + r".*?</section>\s*", re.S)


@pytest.fixture
def real_work(organisation, csirt_lead, isms_office, decision_maker, deputy, handler):
    with time_machine.travel(WALL, tick=False):
        incident = records.incident_declare(
            organisation=organisation, actor=csirt_lead, title="実：不審メール", category="MALWARE"
        )
        decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
        intake.report_submit(
            organisation=organisation,
            actor=None,
            data=intake.ReportInput(
                sender="x@evil.example",
                subject="実の報告",
                what_happened="NOTHING_YET",
                reporter_email="a@example.com",
            ),
        )
    return incident


def _words(page):
    return re.sub(r"\s+", " ", page)


def _look(client, users):
    pages = {}
    with time_machine.travel(LOOK, tick=False):
        for user in users:
            client.force_login(user)
            for path in REAL_PAGES:
                response = client.get(path, HTTP_ACCEPT_LANGUAGE="ja")
                text = CSRF.sub("", response.content.decode())
                pages[(user.username, path)] = f"{response.status_code}\n{text}"
    return pages


def test_a_running_exercise_changes_nothing_on_the_real_screens(
    client, real_work, organisation, isms_office, csirt_lead, decision_maker, deputy
):
    users = (isms_office, csirt_lead, decision_maker, deputy)
    before = _look(client, users)
    with time_machine.travel(WALL + timedelta(minutes=1), tick=False):
        exercise = exercises.exercise_start(
            organisation=organisation,
            actor=isms_office,
            document=scenario.samples()["level1-isolate-to-level2-spread"],
            mode="STEPPED",
            starts_at=WALL,
        )
        exercises.exercise_advance(
            exercise=exercise, actor=isms_office, to=WALL + timedelta(hours=2)
        )
    drill = Decision.objects.filter(incident__exercise_link__exercise=exercise, status="OPEN")
    assert drill.filter(assignee=deputy).exists()  # the drill reached the deputy
    after = _look(client, users)
    assert sum(page.startswith("200") for page in before.values()) >= 20
    for key, page in before.items():
        # Everything but the inbox's own 「訓練」 section is exactly as before.
        assert _words(SECTION.sub("", after[key])) == _words(page), key

    inbox = after[(deputy.username, "/decisions/")]
    real_part, _, drill_part = inbox.partition(EXERCISE_SECTION)
    assert "訓練" in drill_part
    for decision in drill.filter(assignee=deputy):
        assert f"/decisions/{decision.pk}/" in drill_part
        assert f"/decisions/{decision.pk}/" not in real_part

    # The deputy's alert list, too: the drill's alerts only under 「訓練」.
    alerts = after[(deputy.username, "/notifications/")]
    real_part, _, drill_part = alerts.partition(EXERCISE_SECTION)
    drill_ref = drill.first().incident.ref
    assert "訓練" in drill_part and drill_ref in drill_part
    assert drill_ref not in real_part
