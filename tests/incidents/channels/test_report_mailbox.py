"""The reporting mailbox against a real IMAP server (Dovecot, started by the test)."""

from datetime import timedelta

import pytest
from django.core import mail

from common import clock
from common.errors import InvalidInput
from incidents.channels import imapbox
from incidents.models import MailOutcome, MailReceipt, MailSecurity, Report
from incidents.models.enums import Channel
from incidents.selectors import reporting_mailbox_status
from incidents.services import intake, mailbox_filing
from incidents.services.mailbox import Polled, mailbox_configure, mailbox_poll
from notifications.models import DeliveryAttempt, Notification
from notifications.services import delivery
from tests.incidents.channels import dovecot, mails

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server():
    with dovecot.running() as running:
        yield running


@pytest.fixture
def box(server, organisation, isms_office):
    return mailbox_configure(
        organisation=organisation,
        actor=isms_office,
        host="127.0.0.1",
        port=server.port,
        security=MailSecurity.NONE,
        username=dovecot.USER,
        password=dovecot.PASSWORD,
        domains="example.jp",
    )


def replies() -> list[Notification]:
    return list(Notification.objects.filter(alert__event="mailbox.replied").order_by("pk"))


def deliver_replies() -> list:
    """What the alerts' worker does with the outbox rows: deliver each (locmem backend)."""
    for row in replies():
        delivery.notification_deliver(pk=row.pk)
    return mail.outbox


@pytest.fixture
def person(reporter):
    reporter.email = "Reporter@Example.jp"
    reporter.save(update_fields=["email"])
    return reporter


def test_a_phishing_mail_forwarded_as_an_attachment_becomes_one_report_of_its_forwarder(
    server, box, person
):
    server.append(mails.attached(forwarder="reporter@example.jp"))
    assert mailbox_poll(mailbox=box).taken == 1
    report = Report.objects.get()
    assert report.channel == Channel.EMAIL
    assert report.reporter == person
    assert mails.PHISH_SENDER in report.sender
    assert report.subject == mails.PHISH_SUBJECT
    assert report.url == mails.PHISH_URL
    assert report.message_id == "<phish-0001@amaz0n-verify.example>"
    assert report.eml and b"amaz0n-verify" in report.eml.read()
    assert (server.count("INBOX"), server.count("Processed")) == (0, 1)
    [reply] = deliver_replies()
    assert reply.to == ["reporter@example.jp"]
    assert report.number in reply.subject and report.number in reply.body


def test_the_forwarder_receives_the_receipt_number_and_first_aid_in_japanese_then_english(
    server, box, person
):
    server.append(mails.attached(forwarder="reporter@example.jp"))
    mailbox_poll(mailbox=box)
    number = Report.objects.get().number
    assert mail.outbox == []  # nothing sent by the poll itself: the outbox delivers it
    [reply] = deliver_replies()
    assert reply.subject.index("受け付けました") < reply.subject.index("received")
    body = reply.body
    assert body.index(f"受付番号は{number}") < body.index(f"received as {number}")
    assert "LANケーブルを抜き" in body and "pull the network cable" in body


def test_the_reply_is_an_alert_to_the_forwarders_address_only(server, box, person):
    server.append(mails.attached(forwarder="reporter@example.jp"))
    mailbox_poll(mailbox=box)
    [row] = replies()
    assert (row.address, row.channel.kind, row.recipient) == ("reporter@example.jp", "EMAIL", None)
    assert not row.alert.needs_ack
    assert Notification.objects.filter(alert=row.alert).count() == 1  # no in-app, no role


def test_a_reply_the_mail_server_refuses_is_retried_by_the_outbox_with_one_idempotency_key(
    server, box, person, settings
):
    server.append(mails.attached(forwarder="reporter@example.jp"))
    mailbox_poll(mailbox=box)
    [row] = replies()
    settings.EMAIL_BACKEND = "tests.incidents.channels.failing_mail.EmailBackend"
    assert delivery.notification_deliver(pk=row.pk) == "retrying"
    assert DeliveryAttempt.objects.get(notification=row).outcome == "TRANSIENT"
    assert reporting_mailbox_status(organisation_id=box.organisation_id)["replies_failed"] == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=clock.now())
    assert delivery.notification_deliver(pk=row.pk) == "delivered"
    [reply] = mail.outbox
    assert reply.extra_headers["X-ISMS-Alert"] == str(row.idempotency_key)
    assert mailbox_poll(mailbox=box).taken == 0 and len(replies()) == 1  # never twice


def test_a_reply_that_cannot_be_delivered_is_counted_on_the_mailbox_status(server, box, person):
    server.append(mails.attached(forwarder="reporter@example.jp"))
    mailbox_poll(mailbox=box)
    [row] = replies()
    row.channel.enabled = False
    row.channel.save(update_fields=["enabled"])
    assert delivery.notification_deliver(pk=row.pk) == "failed"
    assert reporting_mailbox_status(organisation_id=box.organisation_id)["replies_failed"] == 1


def test_a_forward_as_an_attachment_and_an_inline_forward_join_one_campaign(server, box, person):
    server.append(mails.attached())
    server.append(mails.inline(mails.OUTLOOK_JA))
    assert mailbox_poll(mailbox=box).taken == 2
    first, second = Report.objects.order_by("pk")
    assert second.subject == mails.PHISH_SUBJECT and mails.PHISH_SENDER in second.sender
    assert first.event_id == second.event_id
    assert first.event.report_count == 2
    assert len(deliver_replies()) == 2


def test_polling_twice_files_the_message_once(server, box, person):
    server.append(mails.attached())
    mailbox_poll(mailbox=box)
    server.append(mails.inline(mails.GMAIL_EN))
    assert mailbox_poll(mailbox=box).taken == 1
    assert mailbox_poll(mailbox=box).taken == 0
    assert Report.objects.count() == 2
    assert len(replies()) == 2


def test_a_poll_stopped_between_the_report_and_the_move_does_not_file_it_twice(
    server, box, person, monkeypatch
):
    server.append(mails.attached())
    filed = []
    file_message = mailbox_filing.file_message

    def counted(**kwargs):
        filed.append(kwargs["uid"])
        return file_message(**kwargs)

    def crash(self, uid, folder):
        raise imapbox.IMAPClientError("connection lost")

    monkeypatch.setattr(mailbox_filing, "file_message", counted)
    with monkeypatch.context() as patched:
        patched.setattr(imapbox.Box, "move", crash)
        assert mailbox_poll(mailbox=box).error == "server_error"
    assert Report.objects.count() == 1
    assert server.count("INBOX") == 1  # still there, with its receipt
    assert mailbox_poll(mailbox=box).taken == 0
    assert Report.objects.count() == 1
    assert len(filed) == 1  # the second poll only moved it: not read, not filed again
    assert (server.count("INBOX"), server.count("Processed")) == (0, 1)
    assert MailReceipt.objects.get().moved_at is not None


def test_a_message_whose_report_was_not_committed_stays_and_is_filed_by_the_next_poll(
    server, box, person, monkeypatch
):
    server.append(mails.attached())

    def database_down(**kwargs):
        raise RuntimeError("database went away")

    with monkeypatch.context() as patched:
        patched.setattr(intake, "report_submit", database_down)
        assert mailbox_poll(mailbox=box).error == "failed"
    assert (Report.objects.count(), MailReceipt.objects.count(), server.count("INBOX")) == (0, 0, 1)
    assert replies() == []  # the reply is written with the report, or not at all
    assert mailbox_poll(mailbox=box).taken == 1
    assert Report.objects.count() == 1
    assert len(replies()) == 1


def test_the_same_message_delivered_again_under_a_new_uid_is_not_filed_again(server, box, person):
    raw = mails.attached()
    server.append(raw)
    mailbox_poll(mailbox=box)
    server.append(raw)
    assert mailbox_poll(mailbox=box).taken == 1  # taken, as a duplicate
    assert Report.objects.count() == 1
    assert MailReceipt.objects.filter(outcome=MailOutcome.DUPLICATE).count() == 1
    assert (server.count("INBOX"), server.count("Processed")) == (0, 2)


def test_an_unknown_forwarder_of_the_organisations_domain_files_an_accountless_report(server, box):
    server.append(mails.attached(forwarder="haken.staff@example.jp"))
    mailbox_poll(mailbox=box)
    report = Report.objects.get()
    assert report.reporter is None
    assert report.reporter_email == "haken.staff@example.jp"
    assert report.reporter_name == "報告 太郎"
    assert deliver_replies()[0].to == ["haken.staff@example.jp"]


def test_a_forwarder_outside_the_organisations_domains_is_ignored_and_counted(server, box):
    server.append(mails.attached(forwarder="someone@elsewhere.example"))
    mailbox_poll(mailbox=box)
    assert Report.objects.count() == 0
    assert MailReceipt.objects.get().outcome == MailOutcome.IGNORED
    assert (server.count("INBOX"), server.count("Processed")) == (0, 1)
    assert replies() == [] and deliver_replies() == []


def test_a_message_that_is_not_a_forward_is_filed_with_its_own_words(server, box, person):
    server.append(mails.written())
    mailbox_poll(mailbox=box)
    report = Report.objects.get()
    assert "警告" in report.description and "様子がおかしい" in report.description
    assert report.sender == "" and report.reporter == person
    assert MailReceipt.objects.get().reason == "not_forward"


def test_a_30_mb_message_is_quarantined_unread_and_its_forwarder_told(server, box, person):
    server.append(mails.huge(megabytes=30))
    mailbox_poll(mailbox=box)
    receipt = MailReceipt.objects.get()
    assert (receipt.outcome, receipt.reason) == (MailOutcome.QUARANTINED, "too_large")
    assert Report.objects.count() == 0
    assert (server.count("INBOX"), server.count("Quarantine")) == (0, 1)
    [reply] = deliver_replies()
    assert reply.to == ["reporter@example.jp"] and "大きすぎ" in reply.body


def test_a_malformed_message_is_quarantined_not_lost(server, box):
    server.append(b"this is not a mail at all\r\n")
    mailbox_poll(mailbox=box)
    receipt = MailReceipt.objects.get()
    assert (receipt.outcome, receipt.reason) == (MailOutcome.QUARANTINED, "not_a_mail")
    assert (server.count("INBOX"), server.count("Quarantine")) == (0, 1)


def test_a_message_the_intake_refuses_is_quarantined_with_its_reason(
    server, box, person, monkeypatch
):
    def refuse(**kwargs):
        raise InvalidInput("invalid_timestamp", "refused")

    monkeypatch.setattr(mailbox_filing.intake, "report_submit", refuse)
    server.append(mails.attached())
    mailbox_poll(mailbox=box)
    assert MailReceipt.objects.get().reason == "refused"
    assert server.count("Quarantine") == 1


def test_a_wrong_password_is_the_mailboxs_last_error_and_takes_nothing(
    server, box, organisation, isms_office
):
    server.append(mails.attached())
    mailbox_configure(
        organisation=organisation, actor=isms_office, password="wrong", host="127.0.0.1"
    )
    box.refresh_from_db()
    assert mailbox_poll(mailbox=box).error == "login_failed"
    box.refresh_from_db()
    assert box.last_error == "login_failed" and box.last_error_at is not None
    assert server.count("INBOX") == 1


def test_without_encryption_only_a_server_on_this_machine_is_accepted(organisation, isms_office):
    with pytest.raises(InvalidInput) as refused:
        mailbox_configure(
            organisation=organisation,
            actor=isms_office,
            host="imap.example.jp",
            security=MailSecurity.NONE,
            username="phishing@example.jp",
            password="x",
        )
    assert refused.value.code == "encryption_required"


def test_a_mailbox_another_poll_holds_is_not_read_twice_at_once(server, box, person):
    server.append(mails.attached())
    type(box).objects.filter(pk=box.pk).update(polling_until=clock.now() + timedelta(minutes=5))
    assert mailbox_poll(mailbox=box) == Polled()
    assert (Report.objects.count(), server.count("INBOX")) == (0, 1)
    type(box).objects.filter(pk=box.pk).update(polling_until=clock.now() - timedelta(seconds=1))
    assert mailbox_poll(mailbox=box).taken == 1  # a lease left by a killed worker expires
