"""A staff warning mailed from the app: to the organisation's address list, through the alert
transport (one outbox row per address, delivered by email, each attempt logged), recorded SENT,
and N-1's task done from the record."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from common.errors import Conflict, InvalidInput
from comms.services import communications, mailing
from incidents.models import Task
from notifications.models import DeliveryAttempt, Notification
from notifications.services import delivery


def _approved_warning(incident, office, lead):
    warning = communications.communication_draft(
        incident=incident,
        actor=office,
        audience="ALL_STAFF",
        subject="【注意喚起】",
        body="開かない",
    )
    return communications.communication_move(communication=warning, actor=lead, status="APPROVED")


def test_the_warning_goes_to_every_address_through_the_alert_transport(
    incident, isms_office, csirt_lead
):
    mailing.staff_list_set(
        organisation=incident.organisation,
        actor=isms_office,
        addresses="all@example.co.jp\nfactory@example.co.jp\nall@example.co.jp",
    )
    warning = _approved_warning(incident, isms_office, csirt_lead)
    sent = mailing.communication_mail(communication=warning, actor=isms_office)
    assert sent.status == "SENT" and "factory@example.co.jp" in sent.reference
    rows = Notification.objects.filter(alert__event="communication.mailed").order_by("address")
    assert [r.address for r in rows] == ["all@example.co.jp", "factory@example.co.jp"]
    for row in rows:
        assert delivery.notification_deliver(pk=row.pk) == "delivered"
    assert sorted(m.to[0] for m in mail.outbox) == ["all@example.co.jp", "factory@example.co.jp"]
    assert {m.subject for m in mail.outbox} == {"【注意喚起】"} and mail.outbox[
        0
    ].body == "開かない"
    assert DeliveryAttempt.objects.filter(outcome="DELIVERED").count() == 2
    assert Task.objects.get(incident=incident, code="L1-02").status == "DONE"


def test_without_an_address_list_nothing_is_sent(incident, isms_office, csirt_lead):
    warning = _approved_warning(incident, isms_office, csirt_lead)
    with pytest.raises(Conflict) as err:
        mailing.communication_mail(communication=warning, actor=isms_office)
    assert err.value.code == "NO_STAFF_ADDRESSES"
    warning.refresh_from_db()
    assert warning.status == "APPROVED"
    assert not Notification.objects.filter(alert__event="communication.mailed").exists()


def test_only_an_approved_email_to_all_staff_is_mailed(incident, isms_office, csirt_lead):
    mailing.staff_list_set(
        organisation=incident.organisation, actor=isms_office, addresses="all@example.co.jp"
    )
    draft = communications.communication_draft(
        incident=incident, actor=isms_office, audience="ALL_STAFF", subject="下書き"
    )
    with pytest.raises(Conflict) as err:
        mailing.communication_mail(communication=draft, actor=isms_office)
    assert err.value.code == "NOT_APPROVED"
    partners = communications.communication_draft(
        incident=incident, actor=isms_office, audience="PARTNERS", subject="お知らせ"
    )
    with pytest.raises(Conflict) as err:
        mailing.communication_mail(communication=partners, actor=isms_office)
    assert err.value.code == "NOT_A_STAFF_EMAIL"


def test_an_address_list_with_a_non_address_is_refused(organisation, isms_office):
    with pytest.raises(InvalidInput) as err:
        mailing.staff_list_set(
            organisation=organisation, actor=isms_office, addresses="all@example.co.jp\n総務部"
        )
    assert (err.value.code, err.value.details["invalid"]) == ("INVALID_ADDRESS", ["総務部"])


def test_the_api_mails_the_warning(incident, isms_office, csirt_lead):
    mailing.staff_list_set(
        organisation=incident.organisation, actor=isms_office, addresses="all@example.co.jp"
    )
    warning = _approved_warning(incident, isms_office, csirt_lead)
    client = APIClient()
    client.force_login(isms_office)
    answer = client.post(f"/api/v1/incidents/{incident.ref}/communications/{warning.pk}/mail/")
    assert answer.status_code == 200 and answer.json()["status"] == "SENT"


def test_a_stale_copy_of_the_message_is_read_again_before_mailing(
    incident, isms_office, csirt_lead
):
    mailing.staff_list_set(
        organisation=incident.organisation, actor=isms_office, addresses="all@example.co.jp"
    )
    stale = communications.communication_draft(
        incident=incident, actor=isms_office, audience="ALL_STAFF", subject="注意", body="本文"
    )
    communications.communication_move(communication=stale, actor=csirt_lead, status="APPROVED")
    assert mailing.communication_mail(communication=stale, actor=isms_office).status == "SENT"
