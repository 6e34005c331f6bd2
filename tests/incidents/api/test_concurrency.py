"""Concurrent POSTs through the API on real PostgreSQL connections (one per thread)."""

import pytest
from rest_framework.test import APIClient

from incidents.models import Event, Incident, MailDelivery, Report
from tests.factories import UserFactory
from tests.incidents.api.conftest import API, key_client
from tests.incidents.test_concurrency import _race

pytestmark = pytest.mark.django_db(transaction=True)

MAIL = {
    "sender": "keiri@evil.example",
    "subject": "【至急】請求書の送付",
    "url": "https://evil.example/invoice",
    "what_happened": "CLICKED_LINK",
}


def test_three_reports_of_one_email_posted_at_once_become_one_incident_with_three_deliveries(
    organisation, isms_office
):
    clients = []
    for n in range(3):
        client = APIClient()
        client.force_login(UserFactory(organisation=organisation, username=f"staff{n}"))
        clients.append(client)

    responses = _race([lambda c=c: c.post(f"{API}/reports/", MAIL, format="json") for c in clients])

    assert [r.status_code for r in responses] == [201, 201, 201], responses
    assert Event.objects.count() == 1
    event = Event.objects.get()
    assert event.report_count == 3
    office = APIClient()
    office.force_login(isms_office)
    promoted = office.post(f"{API}/events/{event.pk}/promote/", {}, format="json")
    assert promoted.status_code == 201
    incident = Incident.objects.get()
    assert MailDelivery.objects.filter(message__incident=incident).count() == 3
    deliveries = office.get(f"{API}/incidents/{incident.ref}/mail-deliveries/").json()
    assert len(deliveries["results"]) == 3


def test_concurrent_retries_with_one_idempotency_key_file_one_report(write_key):
    _key, plain = write_key
    clients = [key_client(plain) for _ in range(4)]

    responses = _race(
        [
            lambda c=c: c.post(
                f"{API}/reports/", MAIL, format="json", HTTP_IDEMPOTENCY_KEY="gw-race-1"
            )
            for c in clients
        ]
    )

    assert [r.status_code for r in responses] == [201] * 4, responses
    assert len({r.json()["id"] for r in responses}) == 1
    assert Report.objects.count() == 1
