"""Reminders of due training go out through the alert channels, once per due date."""

from datetime import date

from notifications.models import Alert
from training.services.reminders import training_reminders_publish


def test_a_person_whose_training_is_overdue_gets_one_reminder_per_due_date(
    make_person, basics_course, reporter
):
    make_person(name="山本", user=reporter)
    make_person(name="アカウントなし")  # no account: nobody to remind in the app
    assert training_reminders_publish(on=date(2026, 11, 25)) == 1
    training_reminders_publish(on=date(2026, 11, 26))
    alerts = Alert.objects.filter(event="training.due")
    assert alerts.count() == 1
    alert = alerts.get()
    assert alert.payload["title"] == "標的型攻撃メールの基本動作"
    assert alert.payload["overdue"] is True
    assert alert.notifications.filter(recipient=reporter).exists()
