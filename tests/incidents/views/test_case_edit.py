"""The case form of the incident page: each change one timeline entry, old → new in words."""

import pytest

from incidents.models import Incident, TimelineEntry
from tests.conftest import _holder


@pytest.fixture
def as_user(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def _form(incident, **changes):
    data = {
        "title": incident.title,
        "description": incident.description,
        "category": incident.category,
        "priority": incident.priority,
        "determination": incident.determination,
        "tlp": incident.tlp,
        "csirt_lead": incident.csirt_lead_id or "",
        "owner": incident.owner_id or "",
    }
    return {**data, **changes}


def test_each_edit_is_one_entry_with_old_and_new_in_words(
    as_user, incident, isms_office, csirt_lead, organisation
):
    owner = _holder(organisation, "INCIDENT_HANDLER", "tanaka")
    client = as_user(isms_office)
    before = TimelineEntry.objects.filter(incident=incident).count()
    response = client.post(
        f"/incidents/{incident.ref}/edit/",
        _form(incident, priority="P1", csirt_lead=csirt_lead.pk, owner=owner.pk, tlp="RED"),
    )
    assert response.status_code == 302
    entries = list(TimelineEntry.objects.filter(incident=incident).order_by("seq")[before:])
    assert [e.kind for e in entries] == ["incident.updated"] * 4
    fields = {e.payload["field"]: e.payload for e in entries}
    assert fields["priority"]["from"] == "P3" and fields["priority"]["to"] == "P1"
    assert fields["owner"]["to"] == owner.pk and fields["owner"]["to_label"] == str(owner)
    page = client.get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="en").text
    assert "changed the priority from “P3 (medium)” to “P1 (critical)”" in page
    assert f"changed the owner from “—” to “{owner}”" in page
    assert "changed the TLP from “TLP:AMBER+STRICT” to “TLP:RED”" in page
    incident.refresh_from_db()
    assert (incident.priority, incident.owner, incident.csirt_lead) == ("P1", owner, csirt_lead)


def test_saving_without_a_change_writes_nothing(as_user, incident, isms_office):
    before = TimelineEntry.objects.filter(incident=incident).count()
    response = as_user(isms_office).post(f"/incidents/{incident.ref}/edit/", _form(incident))
    assert response.status_code == 302
    assert TimelineEntry.objects.filter(incident=incident).count() == before


def test_the_timeline_reads_in_japanese(as_user, incident, isms_office):
    client = as_user(isms_office)
    client.post(f"/incidents/{incident.ref}/edit/", _form(incident, priority="P2"))
    page = client.get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="ja").text
    assert "優先度を「P3（中）」から「P2（高）」に変更しました" in page
    assert "P3 (medium)" not in page


def test_a_reporter_cannot_edit_the_case(as_user, incident, reporter):
    response = as_user(reporter).post(f"/incidents/{incident.ref}/edit/", _form(incident))
    assert response.status_code == 404
    assert Incident.objects.get(pk=incident.pk).title == incident.title


def test_the_owner_is_set_over_the_api_too(client, incident, isms_office, handler):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(isms_office)
    response = api.patch(f"/api/v1/incidents/{incident.ref}/", {"owner": handler.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["owner"]["id"] == handler.pk
    entry = TimelineEntry.objects.filter(incident=incident).last()
    assert entry.payload == {
        "field": "owner",
        "from": None,
        "to": handler.pk,
        "from_label": "",
        "to_label": str(handler),
    }
