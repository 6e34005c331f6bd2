"""Alerts of an exercise (issue 18 item 1): only its participants, only their personal channels
(in-app, their own email), never an organisation-wide channel, and 【訓練】 in the subject."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from bcp.services import decisions
from incidents.models import Incident
from incidents.services import records
from notifications import messages
from notifications.models import Notification
from notifications.services.routing import exercise_participants
from training import scenario
from training.services import exercises

pytestmark = pytest.mark.django_db


@pytest.fixture
def drill_incident(organisation, csirt_lead):
    return records.incident_declare(
        organisation=organisation,
        actor=csirt_lead,
        title="【訓練】標的型メール",
        category="TARGETED_EMAIL",
        exercise=True,
    )


@pytest.fixture
def slack_too(channel, route_to, receiver):
    """Decision alerts go to Slack and email at once, as a real organisation may set them."""
    slack = channel("SLACK", url=receiver.url("/slack"))
    route_to(["SLACK", "EMAIL"], every_channel=True)
    return slack


def _rows(incident):
    return sorted(
        Notification.objects.filter(
            alert__incident=incident, alert__event="decision.opened"
        ).values_list("recipient__username", "channel__kind")
    )


def test_an_exercise_decision_alerts_its_assignee_in_person_and_never_on_slack(
    drill_incident, incident, slack_too, decision_maker
):
    decisions.decision_open(incident=drill_incident, decision_type="ACTIVATE_CYBER_BCP")
    decisions.decision_open(incident=incident, decision_type="ACTIVATE_CYBER_BCP")
    assert _rows(drill_incident) == [("president", "EMAIL"), ("president", "IN_APP")]
    assert ("president", "SLACK") in _rows(incident)  # the real one still goes to Slack


def test_an_exercise_alert_says_exercise_in_its_subject_in_both_languages(
    drill_incident, incident, decision_maker
):
    decisions.decision_open(incident=drill_incident, decision_type="ACTIVATE_CYBER_BCP")
    decisions.decision_open(incident=incident, decision_type="ACTIVATE_CYBER_BCP")
    opened = Notification.objects.filter(alert__event="decision.opened", channel__kind="EMAIL")
    drill = opened.filter(alert__incident=drill_incident)
    real = opened.get(alert__incident=incident)
    for language, mark in (("ja", "【訓練】"), ("en", "[EXERCISE] ")):
        decision_maker.preferred_language = language
        decision_maker.save(update_fields=["preferred_language"])
        assert messages.render(drill.get()).subject.startswith(mark)
        assert "訓練" not in messages.render(real).subject
        assert "EXERCISE" not in messages.render(real).subject


def test_every_alert_of_a_played_exercise_reaches_only_its_participants_in_person(
    organisation, isms_office, csirt_lead, decision_maker, deputy, handler, slack_too
):
    from tests.conftest import _holder

    # A second ISMS office holder takes no part: real reports would inform them too.
    bystander = _holder(organisation, "ISMS_OFFICE", "isms2", priority=2)
    wall = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    with time_machine.travel(wall, tick=False):
        exercise = exercises.exercise_start(
            organisation=organisation,
            actor=isms_office,
            document=scenario.samples()["level1-isolate-to-level2-spread"],
            mode="STEPPED",
            starts_at=wall,
        )
    with time_machine.travel(wall + timedelta(minutes=1), tick=False):
        exercises.exercise_advance(
            exercise=exercise, actor=isms_office, to=wall + timedelta(hours=2)
        )
    drill = Incident.objects.get(exercise_link__exercise=exercise)
    rows = Notification.objects.filter(alert__incident=drill)
    assert rows.exists()
    people = exercise_participants(drill)
    assert isms_office.pk in people  # the facilitator
    assert set(rows.values_list("recipient_id", flat=True)) <= people
    assert bystander.pk not in people
    assert set(rows.values_list("channel__kind", flat=True)) <= {"EMAIL", "IN_APP"}
    assert all(
        messages.render(row).subject.startswith(("【訓練】", "[EXERCISE]"))
        for row in rows.select_related("alert", "alert__organisation", "recipient")
    )
