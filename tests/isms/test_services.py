"""The review and corrective actions: M-2's controls and risk reference, statuses with reasons,
the timeline, and reminders through the alert channels once per due date."""

from datetime import date

import pytest
import time_machine

from common.errors import Conflict, DomainError, InvalidInput
from incidents.models import TimelineEntry
from isms.models import CorrectiveAction, PostIncidentReview
from isms.services import actions, reminders
from notifications.models import Alert
from tests.isms.conftest import add_action, set_status, write_review


def test_the_review_is_written_with_its_controls_and_goes_on_the_timeline(incident, isms_office):
    review = write_review(incident, isms_office, controls=["A.8.7", "5.24"])
    assert sorted(review.controls_affected.values_list("id", flat=True)) == ["5.24", "8.7"]
    assert review.complete
    entry = TimelineEntry.objects.filter(incident=incident, kind="review.written").get()
    assert "root_cause" in entry.payload["changed"] and entry.payload["complete"] is True


def test_saving_the_same_review_again_writes_no_entry(incident, isms_office):
    write_review(incident, isms_office)
    write_review(incident, isms_office)
    assert TimelineEntry.objects.filter(kind="review.written").count() == 1


def test_an_unknown_control_is_refused(incident, isms_office):
    with pytest.raises(InvalidInput) as err:
        write_review(incident, isms_office, controls=["9.99"])
    assert (err.value.code, err.value.details["unknown"]) == ("UNKNOWN_CONTROL", ["9.99"])
    assert not PostIncidentReview.objects.exists()


def test_a_closed_incidents_review_cannot_change(incident, isms_office):
    set_status(incident, "CLOSED")
    with pytest.raises(Conflict) as err:
        write_review(incident, isms_office)
    assert err.value.code == "INCIDENT_CLOSED"


def test_a_reporter_may_not_write_the_review(incident, reporter):
    with pytest.raises(DomainError) as err:
        write_review(incident, reporter)
    assert err.value.status_code == 403


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"controls": []}, "CONTROLS_REQUIRED"),
        ({"risk_reference": " "}, "RISK_REFERENCE_REQUIRED"),
        ({"title": ""}, "TITLE_REQUIRED"),
        ({"due_on": None}, "DUE_ON_REQUIRED"),
    ],
)
def test_m2_an_action_names_a_control_and_a_risk_register_entry(
    incident, isms_office, overrides, code
):
    with pytest.raises(InvalidInput) as err:
        add_action(incident, isms_office, **overrides)
    assert err.value.code == code
    assert not CorrectiveAction.objects.exists()


def test_an_action_is_recorded_on_the_timeline(incident, isms_office):
    action = add_action(incident, isms_office, risk_url="https://isms.example/risks/R-012")
    assert sorted(action.controls.values_list("id", flat=True)) == ["8.23", "8.7"]
    entry = TimelineEntry.objects.filter(kind="corrective_action.created").get()
    assert entry.payload["controls"] == ["8.7", "8.23"]  # in the catalogue's order


def test_cancelling_needs_a_reason_and_done_can_be_marked_by_the_owner(
    incident, isms_office, handler, reporter
):
    action = add_action(incident, isms_office, owner=reporter)
    with pytest.raises(InvalidInput) as err:
        actions.corrective_action_set_status(action=action, actor=isms_office, status="CANCELLED")
    assert err.value.code == "REASON_REQUIRED"
    done = actions.corrective_action_set_status(action=action, actor=reporter, status="DONE")
    assert done.status == "DONE" and done.done_at is not None
    with pytest.raises(Conflict):
        actions.corrective_action_set_status(action=action, actor=isms_office, status="CANCELLED")
    again = actions.corrective_action_set_status(action=action, actor=isms_office, status="OPEN")
    assert (again.status, again.done_at) == ("OPEN", None)
    entries = TimelineEntry.objects.filter(kind="corrective_action.status_changed")
    assert [(e.payload["from"], e.payload["to"]) for e in entries.order_by("seq")] == [
        ("OPEN", "DONE"),
        ("DONE", "OPEN"),
    ]


def test_an_update_names_what_changed_and_a_new_due_date_resets_the_reminders(
    incident, isms_office
):
    action = add_action(incident, isms_office)
    CorrectiveAction.objects.filter(pk=action.pk).update(reminded_for=action.due_on)
    actions.corrective_action_update(
        action=action, actor=isms_office, changes={"due_on": date(2031, 6, 30), "controls": ["8.7"]}
    )
    action.refresh_from_db()
    assert action.reminded_for is None
    entry = TimelineEntry.objects.filter(kind="corrective_action.updated").get()
    assert entry.payload["changed"] == ["due_on", "controls"]


def test_reminders_go_out_once_a_week_before_and_once_when_overdue(incident, isms_office, handler):
    action = add_action(incident, isms_office, owner=handler, due_on=date(2030, 5, 10))
    assert reminders.corrective_actions_remind(on=date(2030, 5, 1)) == 0  # nine days before
    assert reminders.corrective_actions_remind(on=date(2030, 5, 3)) == 1
    assert reminders.corrective_actions_remind(on=date(2030, 5, 4)) == 0
    assert reminders.corrective_actions_remind(on=date(2030, 5, 11)) == 1
    assert reminders.corrective_actions_remind(on=date(2030, 5, 12)) == 0
    alerts = Alert.objects.filter(event="corrective_action.due").order_by("id")
    assert [a.payload["overdue"] for a in alerts] == [False, True]
    first = alerts.first()
    recipients = set(first.notifications.values_list("recipient__username", flat=True))
    assert recipients == {"handler", "isms"}
    assert first.subject == f"corrective_action:{action.pk}"


def test_a_done_action_is_not_reminded(incident, isms_office):
    action = add_action(incident, isms_office, due_on=date(2030, 5, 10))
    actions.corrective_action_set_status(action=action, actor=isms_office, status="DONE")
    assert reminders.corrective_actions_remind(on=date(2030, 5, 11)) == 0


def test_the_reminder_task_uses_the_organisations_day(incident, isms_office):
    from isms.tasks import remind_corrective_actions

    add_action(incident, isms_office, due_on=date(2030, 5, 10))
    # 2030-05-10 23:30 UTC is already 05-11 in Tokyo: the action is overdue there.
    with time_machine.travel("2030-05-10T23:30:00+00:00", tick=False):
        assert remind_corrective_actions() == 1
    alert = Alert.objects.get(event="corrective_action.due")
    assert alert.payload["overdue"] is True
