"""One clock (issue 18 item 3): whatever screen acts on an exercise object — the decision
inbox, the API, the incident room, the exercise room — stamps that exercise's time, paused,
scaled or stepped; deadlines and the D-3 sweep fall due on it; real objects keep the wall."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from bcp.models import Decision, DecisionAssignment
from bcp.services import decisions
from bcp.services.sweep import decisions_sweep
from common import clock
from incidents.models import Incident, TimelineEntry
from incidents.services import records
from training import scenario
from training.models import Exercise
from training.services import exercises

WALL = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SPEED = 60  # an exercise minute a wall second


def at(hours=0, minutes=0):
    return START + timedelta(hours=hours, minutes=minutes)


def wall_for(hours=0, minutes=0):
    """The wall time at which the accelerated exercise reads at(hours, minutes)."""
    return WALL + (at(hours, minutes) - START) / SPEED


@pytest.fixture
def accelerated(organisation, isms_office, csirt_lead, decision_maker, deputy, handler):
    with time_machine.travel(WALL, tick=False):
        exercise = exercises.exercise_start(
            organisation=organisation,
            actor=isms_office,
            document=scenario.samples()["level1-isolate-to-level2-spread"],
            mode="ACCELERATED",
            speed=SPEED,
            starts_at=START,
        )
    with time_machine.travel(wall_for(hours=1, minutes=10), tick=False):
        exercises.exercise_advance(exercise=exercise, actor=None)  # the tick: level 2 opens
    return exercise


def _open(exercise, decision_type):
    return Decision.objects.get(
        incident__exercise_link__exercise=exercise, type=decision_type, status="OPEN"
    )


def test_deciding_an_exercise_decision_from_the_normal_inbox_stamps_exercise_time(
    accelerated, client, csirt_lead
):
    escalate = _open(accelerated, "ESCALATE_LEVEL")
    client.force_login(csirt_lead)
    with time_machine.travel(wall_for(hours=1, minutes=20), tick=False):
        page = client.post(
            reverse("bcp:decision_decide", args=[escalate.pk]),
            {"outcome": "APPROVED", "rationale": "2台目の感染を確認"},
        )
    assert page.status_code == 302
    escalate.refresh_from_db()
    assert escalate.decided_at == at(hours=1, minutes=20)
    entry = TimelineEntry.objects.get(
        incident=escalate.incident, kind="decision.decided", payload__decision=escalate.pk
    )
    assert entry.at == at(hours=1, minutes=20)
    assert Incident.objects.get(pk=escalate.incident_id).level == 2


def test_a_deadline_passed_in_exercise_time_moves_before_an_action_from_the_normal_screens(
    accelerated, client, deputy, decision_maker
):
    irt = _open(accelerated, "ESTABLISH_IRT")
    assert (irt.assignee, irt.due_at) == (decision_maker, at(hours=1, minutes=40))
    client.force_login(deputy)
    # No tick ran since +1:10; the deputy acts at +1:45, after the president's deadline.
    with time_machine.travel(wall_for(hours=1, minutes=45), tick=False):
        page = client.post(
            reverse("bcp:decision_decide", args=[irt.pk]),
            {"outcome": "APPROVED", "rationale": "社長不在のため代行"},
        )
    assert page.status_code == 302
    moved = DecisionAssignment.objects.get(decision=irt, reason="DEADLINE_EXPIRED")
    assert (moved.person, moved.at) == (deputy, at(hours=1, minutes=40))
    irt.refresh_from_db()
    assert (irt.decided_by, irt.decided_at) == (deputy, at(hours=1, minutes=45))


def test_the_api_stamps_exercise_time_and_a_real_decision_keeps_the_wall(
    accelerated, client, organisation, csirt_lead, decision_maker
):
    with time_machine.travel(WALL, tick=False):
        incident = records.incident_declare(
            organisation=organisation, actor=csirt_lead, title="実", category="MALWARE"
        )
        real = decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
    escalate = _open(accelerated, "ESCALATE_LEVEL")
    when = wall_for(hours=1, minutes=30)
    with time_machine.travel(when, tick=False):
        client.force_login(csirt_lead)
        drill = client.post(
            f"/api/v1/decisions/{escalate.pk}/decide/",
            {"outcome": "APPROVED", "rationale": "拡散"},
            content_type="application/json",
        )
        client.force_login(decision_maker)
        live = client.post(
            reverse("bcp:decision_decide", args=[real.pk]),
            {"outcome": "APPROVED", "rationale": "実際の判断"},
        )
    assert (drill.status_code, live.status_code) == (200, 302)
    escalate.refresh_from_db()
    real.refresh_from_db()
    assert escalate.decided_at == at(hours=1, minutes=30)
    assert real.decided_at == when


def test_a_paused_exercise_stamps_the_moment_it_was_paused(
    accelerated, client, csirt_lead, isms_office
):
    with time_machine.travel(wall_for(hours=1, minutes=15), tick=False):
        exercises.exercise_pause(exercise=accelerated, actor=isms_office)
    escalate = _open(accelerated, "ESCALATE_LEVEL")
    client.force_login(csirt_lead)
    with time_machine.travel(WALL + timedelta(hours=3), tick=False):
        client.post(
            reverse("bcp:decision_decide", args=[escalate.pk]),
            {"outcome": "APPROVED", "rationale": "一時停止中"},
        )
    escalate.refresh_from_db()
    assert escalate.decided_at == at(hours=1, minutes=15)


def test_the_incident_room_forms_run_on_the_exercise_clock(accelerated, client, csirt_lead):
    incident = Incident.objects.get(exercise_link__exercise=accelerated)
    client.force_login(csirt_lead)
    with time_machine.travel(wall_for(hours=1, minutes=50), tick=False):
        page = client.post(
            reverse("incidents:task_add", args=[incident.ref]), {"title": "ログ保全"}
        )
    assert page.status_code in (200, 302)
    entry = TimelineEntry.objects.filter(incident=incident).order_by("-seq").first()
    assert entry.at == at(hours=1, minutes=50)


def test_the_real_sweep_leaves_an_exercise_decision_alone_and_its_own_sweep_moves_it(
    accelerated, decision_maker, deputy
):
    irt = _open(accelerated, "ESTABLISH_IRT")
    with time_machine.travel(wall_for(hours=5), tick=False):
        result = decisions_sweep(now=clock.wall_now())
        irt.refresh_from_db()
        assert (result.reassigned, irt.assignee) == (0, decision_maker)
        exercises.exercise_advance(exercise=Exercise.objects.get(), actor=None)
    assert DecisionAssignment.objects.get(decision=irt, reason="DEADLINE_EXPIRED").at == at(
        hours=1, minutes=40
    )


def test_a_real_object_has_no_clock_of_its_own(organisation, csirt_lead, accelerated):
    with time_machine.travel(wall_for(hours=2), tick=False):
        real = records.incident_declare(
            organisation=organisation, actor=csirt_lead, title="実", category="MALWARE"
        )
        assert clock.source_for(real) is None
        drill = Incident.objects.get(exercise_link__exercise=accelerated)
        assert clock.source_for(drill)() == at(hours=2)
        with clock.on(drill):
            assert clock.now() == at(hours=2)
        assert clock.now() == clock.wall_now()


def test_the_inbox_counts_an_exercise_decision_down_on_the_exercise_clock(
    accelerated, client, csirt_lead
):
    escalate = _open(accelerated, "ESCALATE_LEVEL")  # due at +1:25
    client.force_login(csirt_lead)
    with time_machine.travel(wall_for(hours=1, minutes=20), tick=False):
        page = client.get("/decisions/", HTTP_ACCEPT_LANGUAGE="en")
    drills = page.context["exercise_decisions"]
    assert [d.pk for d in drills] == [escalate.pk]
    assert drills[0].clock_now == at(hours=1, minutes=20)
    text = page.content.decode().split("exercise-section")[1]
    assert "5 min left" in text
    assert 'data-speed="60"' in text  # the browser keeps it ticking 60 times as fast


def test_an_api_key_call_on_a_shared_exercise_reference_is_stamped_with_the_exercise_clock(
    accelerated, organisation, isms_office
):
    """EX-2026-0001 names an exercise incident in two organisations: the key's organisation
    picks the one (and its clock), though DRF reads the key after the clock is chosen."""
    from accounts import services as account_services
    from accounts.models import ApiKeyScope
    from tests.factories import OrganisationFactory
    from tests.incidents.api.conftest import key_client

    drill = Incident.objects.get(exercise_link__exercise=accelerated)
    with time_machine.travel(WALL, tick=False):
        elsewhere = records.incident_declare(
            organisation=OrganisationFactory(name="別会社"),
            actor=None,
            title="別会社の訓練",
            category="MALWARE",
            exercise=True,
        )
        _key, plain = account_services.api_key_create(
            organisation=organisation, actor=isms_office, name="SIEM", scope=ApiKeyScope.WRITE
        )
    assert elsewhere.ref == drill.ref  # the reference is shared
    with time_machine.travel(wall_for(hours=1, minutes=30), tick=False):
        response = key_client(plain).post(
            f"/api/v1/incidents/{drill.ref}/indicators/",
            {"kind": "DOMAIN", "value": "c2.drill.example"},
            format="json",
        )
    assert response.status_code == 201, response.json()
    entry = TimelineEntry.objects.filter(incident=drill).order_by("-id").first()
    assert entry.at == at(hours=1, minutes=30)  # exercise time, not the wall's 00:01:30
