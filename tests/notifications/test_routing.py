"""Events write alerts and outbox rows in the publisher's transaction, to the right people."""

from __future__ import annotations

import pytest

from notifications.models import Alert, Notification

pytestmark = pytest.mark.django_db


def test_opening_a_decision_alerts_its_assignee_by_email_and_in_app(
    open_decision, decision_maker, deputy, isms_office
):
    decision = open_decision()
    alert = Alert.objects.get(event="decision.opened")
    assert alert.needs_ack and alert.subject == f"decision:{decision.pk}"
    assert alert.last_holder == decision_maker
    rows = Notification.objects.filter(alert=alert).values_list(
        "recipient__username", "channel__kind", "state"
    )
    assert sorted(rows) == [("president", "EMAIL", "PENDING"), ("president", "IN_APP", "DELIVERED")]


def test_a_change_that_rolls_back_leaves_no_alert(incident, decision_maker):
    from django.db import transaction

    from bcp.services import decisions

    before = Alert.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
        raise RuntimeError("the rest of the change failed")
    assert Alert.objects.count() == before


def test_informational_alerts_reach_every_present_holder_and_skip_the_absent(
    organisation, incident, isms_office, absent
):
    from incidents.services import intake
    from tests.conftest import _holder

    second = _holder(organisation, "ISMS_OFFICE", "isms2", priority=2)
    away = _holder(organisation, "ISMS_OFFICE", "isms3", priority=3)
    absent(away)
    intake.report_submit(
        organisation=organisation,
        actor=None,
        data=intake.ReportInput(
            sender="x@evil.example",
            subject="別件",
            what_happened="NOTHING_YET",
            reporter_email="a@example.com",
        ),
    )
    alert = Alert.objects.filter(event="report.received").latest("id")
    assert not alert.needs_ack
    people = set(alert.notifications.values_list("recipient__username", flat=True))
    assert people == {"isms", second.username}


def test_a_delegate_gets_the_alert_in_place_of_the_delegator(
    organisation, open_decision, decision_maker, csirt_lead
):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Delegation

    now = timezone.now()
    Delegation.objects.create(
        organisation=organisation,
        role="DECISION_MAKER",
        delegator=decision_maker,
        delegate=csirt_lead,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
    )
    open_decision("ESTABLISH_IRT")
    alert = Alert.objects.get(event="decision.opened")
    assert alert.last_holder == csirt_lead


def test_level_three_wakes_the_decision_maker_on_every_channel(
    incident, open_decision, decision_maker, channel, receiver
):
    from incidents.models import Incident

    slack = channel("SLACK", url=receiver.url("/slack"))
    Incident.objects.filter(pk=incident.pk).update(level=3)
    incident.refresh_from_db()
    open_decision("ESTABLISH_IRT")
    alert = Alert.objects.get(event="decision.opened")
    assert alert.level == 3 and alert.every_channel
    kinds = set(alert.notifications.values_list("channel__kind", flat=True))
    assert kinds == {"EMAIL", "SLACK", "IN_APP"}
    assert slack.pk in set(alert.notifications.values_list("channel_id", flat=True))


def test_below_level_three_one_channel_with_the_others_as_fallback(
    open_decision, decision_maker, channel, receiver
):
    slack = channel("SLACK", url=receiver.url("/slack"))
    open_decision("ESTABLISH_IRT")
    email = Notification.objects.get(alert__event="decision.opened", channel__kind="EMAIL")
    assert email.fallback_channel_ids == [slack.pk]


def test_a_campaign_alerts_every_nth_report(organisation, isms_office, settings):
    from incidents.services import intake
    from tests.incidents.conftest import PHISH

    settings.ALERT_CAMPAIGN_EVERY = 3
    for n in range(7):
        intake.report_submit(
            organisation=organisation,
            actor=None,
            data=intake.ReportInput(**PHISH, reporter_email=f"r{n}@example.com"),
        )
    grew = Alert.objects.filter(event="campaign.grew").order_by("pk")  # no order is no order
    counts = [a.payload["count"] for a in grew]
    assert counts == [3, 6]
    assert Alert.objects.filter(event="report.received").count() == 1  # the first, new item


def test_no_one_present_to_take_an_action_alert_flags_it_at_once(incident, decision_maker, absent):
    from bcp.services import decisions

    absent(decision_maker)
    decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
    alert = Alert.objects.get(event="decision.opened")
    assert alert.exhausted_at is not None and not alert.notifications.exists()


def test_a_withdrawn_decision_tells_its_assignee_and_the_office_in_words(
    open_decision, decision_maker, isms_office, csirt_lead
):
    from bcp.services import manual
    from notifications import messages

    decision = open_decision("PUBLIC_ANNOUNCEMENT")
    manual.decision_withdraw(decision=decision, actor=csirt_lead, reason="公表は不要と判明")
    alert = Alert.objects.get(event="decision.withdrawn")
    assert not alert.needs_ack
    recipients = set(alert.notifications.values_list("recipient__username", flat=True))
    assert recipients == {"president", "isms"}
    note = alert.notifications.filter(recipient=decision_maker, channel__kind="EMAIL").get()
    rendered = messages.render(note)
    assert "公表は不要と判明" in rendered.text
    assert "取り下げ" in rendered.subject


def test_a_training_reminder_renders_in_words(organisation, isms_office):
    from datetime import date

    from common import events
    from notifications import messages

    events.publish(
        "training.due",
        organisation_id=organisation.pk,
        user=isms_office,
        person_id=1,
        course_id=2,
        course_title="標的型メール訓練",
        due_on=date(2026, 12, 1),
        overdue=True,
    )
    note = Notification.objects.get(alert__event="training.due", channel__kind="EMAIL")
    assert "研修の期限切れ：標的型メール訓練（期限 2026/12/01）" in messages.render(note).text
