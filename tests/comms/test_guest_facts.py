"""An outside responder with read + add adds facts to their one incident (issue 17 item 4):
through the responders' own finding service, on the timeline as the guest, within the TLP
ceiling; a read-only guest is refused with a code and nothing is written."""

import pytest

from common.errors import Forbidden
from comms.models import GuestInvitation
from comms.services import guests
from incidents.access import PermissionDeniedError
from incidents.models import AffectedAsset, Fact, TimelineEntry
from risklevels.services import facts as fact_services
from tests.comms.test_guests import _invite, _signed_in, second_incident  # noqa: F401

# What the page's form posts (every select has a value; the service reads what the kind needs).
C2_FINDING = {
    "kind": "external_comm",
    "status": "CONFIRMED",
    "asset_kind": "PC",
    "state": "SUSPECTED",
    "via": "MAIL",
    "c2": "",
}


def _counts(incident):
    return (
        Fact.objects.filter(incident=incident).count(),
        TimelineEntry.objects.filter(incident=incident).exclude(kind="guest.viewed").count(),
    )


def test_a_contributing_guest_records_a_finding_through_the_responders_service(
    incident, csirt_lead
):
    _invitation, token = _invite(incident, csirt_lead, role="CONTRIBUTE")
    guest = _signed_in(token)
    page = guest.get("/guest/")
    assert 'action="/guest/fact/"' in page.text
    answer = guest.post("/guest/fact/", {**C2_FINDING, "c2": "c2.evil.example"})
    assert answer.status_code == 302 and answer["Location"] == "/guest/"
    user = GuestInvitation.objects.get().guest
    (fact,) = Fact.objects.filter(incident=incident, kind="EXTERNAL_COMM")
    assert fact.recorded_by == user and fact.data["c2"] == "c2.evil.example"
    incident.refresh_from_db()
    assert incident.external_comm_status == "CONFIRMED"
    finding = TimelineEntry.objects.get(incident=incident, kind="finding.external_comm")
    added = TimelineEntry.objects.get(incident=incident, kind="guest.fact_added")
    assert finding.actor == user and added.actor == user
    assert added.payload["fact"] == "external_comm" and added.payload["role"] == "CONTRIBUTE"


def test_a_guest_s_infection_finding_marks_the_terminal_as_the_responders_form_does(
    incident, csirt_lead
):
    _invitation, token = _invite(incident, csirt_lead, role="CONTRIBUTE")
    guest = _signed_in(token)
    body = {"kind": "infection", "asset_tag": "PC-77", "asset_kind": "PC", "state": "CONFIRMED"}
    assert guest.post("/guest/fact/", {**C2_FINDING, **body}).status_code == 302
    affected = AffectedAsset.objects.get(incident=incident, asset__asset_tag="PC-77")
    assert affected.infection_state == "CONFIRMED"
    entry = TimelineEntry.objects.get(incident=incident, kind="asset.infection")
    assert entry.actor == GuestInvitation.objects.get().guest


def test_a_read_only_guest_is_refused_with_a_code_and_nothing_is_written(incident, csirt_lead):
    _invitation, token = _invite(incident, csirt_lead, role="READ")
    reader = _signed_in(token)
    assert 'action="/guest/fact/"' not in reader.get("/guest/").text
    before = _counts(incident)
    refused = reader.post("/guest/fact/", C2_FINDING)
    assert refused.status_code == 403
    assert 'data-code="GUEST_READ_ONLY"' in refused.text
    assert _counts(incident) == before
    incident.refresh_from_db()
    assert incident.external_comm_status == "NONE"


def test_a_contributing_guest_adds_no_fact_to_an_incident_above_the_ceiling(incident, csirt_lead):
    _invitation, token = _invite(incident, csirt_lead, role="CONTRIBUTE", ceiling="GREEN")
    guest = _signed_in(token)
    before = _counts(incident)
    refused = guest.post("/guest/fact/", C2_FINDING)
    assert refused.status_code == 403 and 'data-code="GUEST_READ_ONLY"' in refused.text
    assert _counts(incident) == before


def test_the_finding_service_refuses_a_guest_on_another_incident(
    incident,
    second_incident,  # noqa: F811
    csirt_lead,
):
    _invitation, token = _invite(incident, csirt_lead, role="CONTRIBUTE")
    _signed_in(token)
    user = GuestInvitation.objects.get().guest
    before = _counts(second_incident)
    with pytest.raises(PermissionDeniedError):
        fact_services.fact_record(incident=second_incident, actor=user, **C2_FINDING)
    with pytest.raises(Forbidden) as refused:
        guests.guest_fact_record(user=user, incident=second_incident, **C2_FINDING)
    assert refused.value.code == "GUEST_READ_ONLY"
    assert _counts(second_incident) == before


def test_a_guest_s_refused_finding_comes_back_on_the_guest_page(incident, csirt_lead):
    _invitation, token = _invite(incident, csirt_lead, role="CONTRIBUTE")
    guest = _signed_in(token)
    before = _counts(incident)
    bad = guest.post("/guest/fact/", {**C2_FINDING, "kind": "infection", "state": "X"})
    assert bad.status_code == 302
    assert _counts(incident) == before
    page = guest.get("/guest/")
    assert page.status_code == 200 and 'class="errorlist' in page.text
