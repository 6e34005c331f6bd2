"""Issue 22, STIX 2.1 export: the T-2 recipient × TLP matrix, T-3's sighting label, the bundle
valid against STIX 2.1, the export recorded as a communication (N-4)."""

import json

import pytest
import stix2
from rest_framework.test import APIClient
from stix2validator import ValidationOptions, validate_string

from comms.models import Communication
from incidents.models import Incident, Indicator, MailMessage
from sharing import services, stix
from sharing import tlp as rules

TLPS = ["CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED"]
WITHIN = {
    "PUBLIC": {"CLEAR"},
    "ISAC": {"CLEAR", "GREEN"},
    "JPCERT_CC": {"CLEAR", "GREEN", "AMBER"},
}


def _export(incident, actor, recipient):
    done = services.stix_export(incident=incident, actor=actor, recipient=recipient)
    return done, json.loads(done.export.bundle)


def _of(bundle, kind):
    return [o for o in bundle.get("objects", []) if o["type"] == kind]


def _label(obj):
    (marking,) = obj["object_marking_refs"]
    return rules.tlp_from_marking(marking)


def _set(incident, *, indicators=None, incident_tlp=None):
    if indicators:
        Indicator.objects.filter(incident=incident).update(tlp=indicators)
    if incident_tlp:
        Incident.objects.filter(pk=incident.pk).update(tlp=incident_tlp)
        incident.refresh_from_db()


@pytest.mark.parametrize("recipient", sorted(WITHIN))
@pytest.mark.parametrize("label", TLPS)
def test_an_indicator_leaves_only_for_a_recipient_its_tlp_permits(
    recipient, label, incident, isms_office
):
    _set(incident, indicators=label)
    done, bundle = _export(incident, isms_office, recipient)
    indicators = _of(bundle, "indicator")
    if label in WITHIN[recipient]:
        assert indicators and {_label(i) for i in indicators} == {label}
    else:
        assert indicators == []
        assert done.export.withheld >= incident.indicators.count()


@pytest.mark.parametrize(
    ("recipient", "label", "included"),
    [
        ("JPCERT_CC", "RED", False),
        ("JPCERT_CC", "AMBER_STRICT", False),
        ("JPCERT_CC", "AMBER", True),
        ("ISAC", "RED", False),
        ("ISAC", "AMBER", False),
        ("ISAC", "GREEN", True),
        ("PUBLIC", "RED", False),
        ("PUBLIC", "GREEN", False),
        ("PUBLIC", "CLEAR", True),
    ],
)
def test_the_incident_object_leaves_only_when_its_tlp_permits_and_never_when_red(
    recipient, label, included, incident, isms_office
):
    _set(incident, incident_tlp=label)
    _, bundle = _export(incident, isms_office, recipient)
    assert bool(_of(bundle, "incident")) is included


def test_the_mail_sighting_counts_deliveries_and_goes_to_jpcert_but_not_to_an_isac(
    incident, isms_office
):
    _set(incident, indicators="GREEN")
    _, bundle = _export(incident, isms_office, "JPCERT_CC")
    (sighting,) = _of(bundle, "sighting")
    assert _label(sighting) == "AMBER"
    message = MailMessage.objects.get(incident=incident)
    assert sighting["count"] == message.deliveries.filter(blocked=False).count()
    sender = next(i for i in _of(bundle, "indicator") if "from_ref" in i["pattern"])
    assert sighting["sighting_of_ref"] == sender["id"]
    (identity,) = _of(bundle, "identity")
    assert sighting["where_sighted_refs"] == [identity["id"]]
    _, isac = _export(incident, isms_office, "ISAC")
    assert _of(isac, "sighting") == [] and _of(isac, "identity") == []


@pytest.mark.parametrize("recipient", sorted(WITHIN))
def test_every_bundle_is_valid_stix_2_1_with_the_official_tlp_2_markings(
    recipient, incident, isms_office
):
    _set(incident, indicators="CLEAR", incident_tlp="CLEAR")
    done, bundle = _export(incident, isms_office, recipient)
    stix2.parse(done.export.bundle, allow_custom=False)
    result = validate_string(done.export.bundle, ValidationOptions(version="2.1"))
    assert result.is_valid, [str(e) for e in result.errors]
    markings = {m["id"] for m in _of(bundle, "marking-definition")}
    used = {ref for o in bundle.get("objects", []) for ref in o.get("object_marking_refs", [])}
    assert used <= markings <= set(rules.MARKING_IDS.values())


def test_the_same_records_get_the_same_ids_in_every_export(incident, isms_office):
    _, one = _export(incident, isms_office, "JPCERT_CC")
    _, two = _export(incident, isms_office, "JPCERT_CC")
    assert {o["id"] for o in _of(one, "indicator")} == {o["id"] for o in _of(two, "indicator")}


@pytest.mark.parametrize(
    ("recipient", "label"), [("PUBLIC", "CLEAR"), ("ISAC", "GREEN"), ("JPCERT_CC", "AMBER")]
)
def test_each_export_is_recorded_as_a_communication_with_the_recipients_tlp(
    recipient, label, incident, isms_office
):
    done, _ = _export(incident, isms_office, recipient)
    communication = Communication.objects.get(pk=done.communication.pk)
    assert (communication.audience, communication.tlp) == (recipient, label)
    assert str(done.export.withheld) in communication.body
    assert incident.timeline.filter(kind="communication.drafted").exists()


def test_the_api_exports_and_refuses_an_unknown_recipient(incident, isms_office, reporter):
    api = APIClient()
    api.force_authenticate(isms_office)
    url = f"/api/v1/incidents/{incident.ref}/stix-export/"
    body = api.post(url, {"recipient": "ISAC"}, format="json").json()
    assert body["bundle"]["type"] == "bundle" and body["withheld"] >= 1
    before = Communication.objects.count()
    refused = api.post(url, {"recipient": "EVERYONE"}, format="json")
    assert refused.status_code == 400 and Communication.objects.count() == before


def test_the_room_card_downloads_the_bundle(client, incident, isms_office):
    client.force_login(isms_office)
    room = client.get(f"/incidents/{incident.ref}/").content.decode()
    assert 'id="sharing"' in room
    response = client.post(f"/incidents/{incident.ref}/stix-export/", {"recipient": "ISAC"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["type"] == "bundle"


def test_patterns_quote_values_as_stix_patterning_asks():
    indicator = Indicator(kind="SUBJECT", value="it's \\ here", normalized="x")
    assert stix.pattern(indicator) == "[email-message:subject = 'it\\'s \\\\ here']"
