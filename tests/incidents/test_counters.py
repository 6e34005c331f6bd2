"""Rule X-4's counters, read from one place (incidents.facts): on the incident API (detail and
list, filterable), the dashboard's list and the incident room."""

import pytest
from rest_framework.test import APIClient

from incidents import facts
from incidents.models import Asset
from incidents.services import findings, mail

EXPECTED = {
    # The fixture: one report by someone who opened the attachment and pulled the cable.
    "mail_delivered_count": 2,
    "mail_reported_count": 1,
    "mail_executed_count": 1,
    "infected_effective_count": 2,
    "infected_confirmed_count": 1,
    "isolated_count": 1,
}


@pytest.fixture
def grown(incident, handler):
    """A second recipient who did not report, and a second PC confirmed infected."""
    mail.delivery_add(incident=incident, actor=handler, recipient_email="sato@example.com")
    mail.delivery_add(
        incident=incident, actor=handler, recipient_email="spam@example.com", blocked=True
    )
    pc = Asset.objects.create(organisation_id=incident.organisation_id, asset_tag="PC-2")
    findings.asset_infection_set(incident=incident, actor=handler, asset=pc, state="CONFIRMED")
    return incident


@pytest.fixture
def api(isms_office):
    client = APIClient()
    client.force_authenticate(isms_office)
    return client


def test_the_counters_of_one_incident(grown):
    assert facts.incident_counters(grown) == EXPECTED


def test_the_incident_api_shows_the_counters(api, grown):
    body = api.get(f"/api/v1/incidents/{grown.ref}/").json()
    assert {name: body[name] for name in facts.COUNTERS} == EXPECTED
    listed = api.get("/api/v1/incidents/").json()["results"][0]
    assert {name: listed[name] for name in facts.COUNTERS} == EXPECTED


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("infected_effective_count__gte=2", True),
        ("infected_effective_count__gte=3", False),
        ("mail_executed_count__gte=1", True),
        ("isolated_count__gte=2", False),
    ],
)
def test_the_incident_list_filters_by_a_counter(api, grown, query, found):
    refs = [i["ref"] for i in api.get(f"/api/v1/incidents/?{query}").json()["results"]]
    assert refs == ([grown.ref] if found else [])


def test_a_negative_counter_filter_is_refused(api, grown):
    response = api.get("/api/v1/incidents/?infected_effective_count__gte=-1")
    assert response.status_code == 400


def test_the_dashboard_list_shows_and_filters_the_counters(client, isms_office, grown):
    client.force_login(isms_office)
    page = client.get("/dashboard/incidents/?infected=2").content.decode()
    assert grown.ref in page and "2 / 1" in page
    assert grown.ref not in client.get("/dashboard/incidents/?infected=5").content.decode()


def test_the_incident_room_shows_the_counters(client, isms_office, grown):
    client.force_login(isms_office)
    page = client.get(f"/incidents/{grown.ref}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="room-delivered">2 recipients' in page
    assert 'id="room-executed">1 recipient' in page
    assert 'id="room-infected">2 assets' in page
