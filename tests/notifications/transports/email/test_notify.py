"""Email: Japanese subject, plain text and HTML, the signed one-click acknowledge link."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail

from notifications import acklink, messages
from notifications.models import Notification
from notifications.transports import TransportError
from notifications.transports.email import EmailTransport

pytestmark = pytest.mark.django_db


@pytest.fixture
def email_row(open_decision, decision_maker):
    def _row():
        open_decision()
        return Notification.objects.select_related("alert", "recipient", "channel").get(
            channel__kind="EMAIL", recipient=decision_maker, alert__event="decision.opened"
        )

    return _row


def test_the_mail_is_in_japanese_with_text_html_and_the_acknowledge_link(email_row, incident):
    row = email_row()
    EmailTransport(row.channel).notify(row, messages.render(row))
    (sent,) = mail.outbox
    assert sent.to == ["president@example.com"]
    assert sent.subject.startswith("【要対応】")
    assert incident.ref in sent.subject
    assert "判断期限" in sent.body
    html, mime = sent.alternatives[0]
    assert mime == "text/html" and "<li>" in html
    link = next(line for line in sent.body.splitlines() if "/notifications/ack/" in line)
    token = link.rsplit("/ack/", 1)[1].strip("/")
    assert acklink.read(token) == (row.alert_id, row.recipient_id)
    assert link in html
    assert sent.extra_headers["X-ISMS-Alert"] == str(row.idempotency_key)


def test_three_decisions_on_one_incident_have_three_subjects(open_decision, decision_maker):
    for decision_type in ("ACTIVATE_CYBER_BCP", "CUT_ALL_EXTERNAL_NETWORK", "ESTABLISH_IRT"):
        open_decision(decision_type)
    rows = Notification.objects.filter(
        channel__kind="EMAIL", recipient=decision_maker, alert__event="decision.opened"
    ).select_related("alert", "recipient", "channel")
    subjects = [messages.render(row).subject for row in rows]
    assert len(set(subjects)) == 3
    assert any("：サイバー攻撃対応BCPを発動する" in subject for subject in subjects)


def test_the_mail_links_straight_to_its_decision(email_row, client, decision_maker):
    row = email_row()
    EmailTransport(row.channel).notify(row, messages.render(row))
    (sent,) = mail.outbox
    lines = sent.body.splitlines()
    link = lines[lines.index("判断を開く：") + 1]
    assert link.startswith("http://testserver/notifications/open/")
    client.force_login(decision_maker)
    opened = client.get(link.removeprefix("http://testserver"))
    assert opened["Location"] == f"/decisions/{row.alert.payload['decision']}/"
    assert link in sent.alternatives[0][0]


def test_english_speakers_get_english(email_row, decision_maker):
    decision_maker.preferred_language = "en"
    decision_maker.save()
    row = email_row()
    EmailTransport(row.channel).notify(row, messages.render(row))
    assert mail.outbox[0].subject.startswith("[Action needed]")
    assert "Decide by" in mail.outbox[0].body


def test_a_missing_address_is_permanent(email_row, decision_maker):
    decision_maker.email = ""
    decision_maker.save()
    row = email_row()
    with pytest.raises(TransportError) as caught:
        EmailTransport(row.channel).notify(row, messages.render(row))
    assert caught.value.permanent


def test_smtp_refusing_the_recipient_is_permanent_and_a_dead_server_transient(
    email_row, monkeypatch
):
    row = email_row()
    message = messages.render(row)

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"president@example.com": (550, b"no such user")})

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(TransportError) as caught:
        EmailTransport(row.channel).notify(row, message)
    assert caught.value.permanent

    def down(self, *args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", down)
    with pytest.raises(TransportError) as caught:
        EmailTransport(row.channel).notify(row, message)
    assert not caught.value.permanent
