"""Issue 22 item 3, MISP export: the event's shape (PyMISP reads it; MISP's own attribute types
and categories), the T-2 recipient × TLP matrix, to_ids and distribution from the TLP, the
withheld count, the export recorded as a communication (N-4) exactly as the STIX export is."""

import json
import uuid

import pytest
from pymisp import MISPEvent
from rest_framework.test import APIClient

from comms.models import Communication
from incidents.models import Incident, Indicator
from incidents.services.indicators import indicator_add
from sharing import misp, services

TLPS = ["CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED"]
WITHIN = {
    "PUBLIC": {"CLEAR"},
    "ISAC": {"CLEAR", "GREEN"},
    "JPCERT_CC": {"CLEAR", "GREEN", "AMBER"},
}


def _export(incident, actor, recipient):
    done = services.misp_export(incident=incident, actor=actor, recipient=recipient)
    return done, json.loads(done.export.event)["Event"]


def _set(incident, *, indicators=None, incident_tlp=None):
    if indicators:
        Indicator.objects.filter(incident=incident).update(tlp=indicators)
    if incident_tlp:
        Incident.objects.filter(pk=incident.pk).update(tlp=incident_tlp)
        incident.refresh_from_db()


def _every_kind(incident, actor, tlp="CLEAR"):
    values = {
        "SUBJECT": "請求書の件",
        "MESSAGE_ID": "<abc@evil.example>",
        "DOMAIN": "evil.example",
        "IP": "192.0.2.7",
        "FILE_NAME": "invoice.xlsm",
        "C2_DOMAIN": "c2.evil.example",
        "C2_IP": "198.51.100.9",
    }
    for kind, value in values.items():
        indicator_add(incident=incident, actor=actor, kind=kind, value=value, tlp=tlp)


def test_the_event_has_misps_shape_and_pymisp_reads_every_attribute(incident, isms_office):
    _every_kind(incident, isms_office)
    _set(incident, indicators="CLEAR", incident_tlp="CLEAR")
    done, event = _export(incident, isms_office, "PUBLIC")
    for key in ("uuid", "info", "date", "threat_level_id", "analysis", "distribution"):
        assert event[key] != "", key
    uuid.UUID(event["uuid"])
    loaded = MISPEvent()
    loaded.load(done.export.event)  # raises on an unknown type or a category it does not allow
    assert len(loaded.attributes) == incident.indicators.count() == len(event["Attribute"])
    describe = loaded.describe_types
    for attribute in event["Attribute"]:
        uuid.UUID(attribute["uuid"])
        assert attribute["type"] in describe["types"]
        assert attribute["type"] in describe["category_type_mappings"][attribute["category"]]
        assert isinstance(attribute["to_ids"], bool)
    assert event["Tag"] == [{"name": "tlp:clear"}]


@pytest.mark.parametrize("recipient", sorted(WITHIN))
@pytest.mark.parametrize("label", TLPS)
def test_an_attribute_leaves_only_for_a_recipient_its_tlp_permits(
    recipient, label, incident, isms_office
):
    _set(incident, indicators=label)
    done, event = _export(incident, isms_office, recipient)
    count = incident.indicators.count()
    if label in WITHIN[recipient]:
        assert len(event["Attribute"]) == count
        assert {a["Tag"][0]["name"] for a in event["Attribute"]} == {
            f"tlp:{label.lower().replace('_', '+')}"
        }
    else:
        assert event["Attribute"] == []
        assert done.export.withheld >= count


@pytest.mark.parametrize(
    ("label", "distribution"),
    [("CLEAR", "3"), ("GREEN", "2"), ("AMBER", "1")],
)
def test_an_attributes_distribution_reaches_no_further_than_its_tlp(
    label, distribution, incident, isms_office
):
    _set(incident, indicators=label, incident_tlp=label)
    _, event = _export(incident, isms_office, "JPCERT_CC")
    assert {a["distribution"] for a in event["Attribute"]} == {distribution}
    assert event["distribution"] == distribution


def test_to_ids_is_set_on_what_a_sensor_can_match_and_not_on_a_subject(incident, isms_office):
    _every_kind(incident, isms_office)
    _set(incident, indicators="GREEN")
    _, event = _export(incident, isms_office, "ISAC")
    by_type = {a["type"]: a["to_ids"] for a in event["Attribute"]}
    assert by_type["email-subject"] is False and by_type["filename"] is False
    assert by_type["domain"] is True and by_type["ip-dst"] is True


@pytest.mark.parametrize(
    ("recipient", "label", "named"),
    [("JPCERT_CC", "RED", False), ("JPCERT_CC", "AMBER", True), ("ISAC", "AMBER", False)],
)
def test_the_incidents_own_words_go_in_only_when_its_tlp_permits(
    recipient, label, named, incident, isms_office
):
    _set(incident, incident_tlp=label)
    _, event = _export(incident, isms_office, recipient)
    assert (incident.title in event["info"]) is named


def test_the_export_is_recorded_as_a_communication_with_the_withheld_count(incident, isms_office):
    _set(incident, indicators="AMBER")
    done, _ = _export(incident, isms_office, "ISAC")
    communication = Communication.objects.get(pk=done.communication.pk)
    assert (communication.audience, communication.tlp) == ("ISAC", "GREEN")
    assert done.export.withheld == incident.indicators.count() + 1  # and the incident's words
    assert f"{done.export.withheld}" in communication.body
    assert incident.timeline.filter(kind="communication.drafted").exists()


def test_the_same_incident_gets_the_same_event_uuid_every_time(incident, isms_office):
    _, one = _export(incident, isms_office, "JPCERT_CC")
    _, two = _export(incident, isms_office, "JPCERT_CC")
    assert one["uuid"] == two["uuid"]
    assert [a["uuid"] for a in one["Attribute"]] == [a["uuid"] for a in two["Attribute"]]


def test_the_api_exports_and_refuses_an_unknown_recipient(incident, isms_office):
    api = APIClient()
    api.force_authenticate(isms_office)
    url = f"/api/v1/incidents/{incident.ref}/misp-export/"
    body = api.post(url, {"recipient": "JPCERT_CC"}, format="json").json()
    assert "Attribute" in body["event"]["Event"] and body["withheld"] >= 0
    before = Communication.objects.count()
    refused = api.post(url, {"recipient": "EVERYONE"}, format="json")
    assert refused.status_code == 400 and Communication.objects.count() == before


def test_the_room_card_downloads_the_event(client, incident, isms_office):
    client.force_login(isms_office)
    room = client.get(f"/incidents/{incident.ref}/").content.decode()
    assert f"/incidents/{incident.ref}/misp-export/" in room
    response = client.post(f"/incidents/{incident.ref}/misp-export/", {"recipient": "ISAC"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "Event" in json.loads(response.content)


def test_every_indicator_kind_has_a_misp_type():
    from incidents.models.enums import IndicatorKind

    assert set(misp.TYPES) == set(IndicatorKind.values)
