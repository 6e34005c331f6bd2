"""Issue 22 item 5: TLP on every way out, decided by one function (incidents.tlp.within): the
guest page of an outside responder and the incident report leave out what is above the
ceiling and say how many; an indicator's TLP is changed on a page, on the timeline."""

from datetime import timedelta

import pytest
from django.test import Client

from common import clock
from comms.services import guests
from incidents import tlp
from incidents.models import Incident, Indicator
from incidents.services.indicators import indicator_add
from sharing import tlp as sharing_tlp

TLPS = ["CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED"]
PASSWORD = "correct-horse-battery-42"


@pytest.mark.parametrize("label", TLPS)
@pytest.mark.parametrize("ceiling", TLPS)
def test_one_function_decides_and_every_way_out_asks_it(label, ceiling):
    within = TLPS.index(label) <= TLPS.index(ceiling)
    assert tlp.within(label, ceiling) is within
    assert guests.within_ceiling(label, ceiling) is within
    kept, withheld = tlp.split([label, label], ceiling, str)
    assert (len(kept), withheld) == ((2, 0) if within else (0, 2))


@pytest.mark.parametrize("recipient", ["PUBLIC", "ISAC", "JPCERT_CC"])
@pytest.mark.parametrize("label", TLPS)
def test_the_exports_ceiling_is_the_same_decision(recipient, label):
    assert sharing_tlp.permits(recipient, label) is tlp.within(
        label, sharing_tlp.CEILING[recipient]
    )


def test_an_unknown_label_never_leaves():
    assert not tlp.within("PURPLE", "RED") and not tlp.within("CLEAR", "PURPLE")


def _labelled(incident, actor):
    """One indicator per TLP (the fixture's own indicators made RED)."""
    Indicator.objects.filter(incident=incident).update(tlp="RED")
    for n, label in enumerate(TLPS):
        indicator_add(
            incident=incident, actor=actor, kind="DOMAIN", value=f"t{n}.evil.example", tlp=label
        )
    Incident.objects.filter(pk=incident.pk).update(tlp="CLEAR")
    incident.refresh_from_db()


def _guest(incident, lead, ceiling):
    _, token = guests.guest_invite(
        incident=incident,
        actor=lead,
        email="sato@xyz.example",
        name="佐藤",
        role="READ",
        expires_at=clock.now().replace(microsecond=0) + timedelta(days=7),
        tlp_ceiling=ceiling,
        base_url="https://csirt.example",
    )
    client = Client()
    client.post(f"/guest/accept/{token}/", {"password": PASSWORD, "password_again": PASSWORD})
    return client


@pytest.mark.parametrize("ceiling", ["CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED"])
def test_a_guest_sees_the_indicators_within_the_ceiling_and_how_many_were_withheld(
    ceiling, incident, csirt_lead
):
    _labelled(incident, csirt_lead)
    page = _guest(incident, csirt_lead, ceiling).get("/guest/").content.decode()
    for n, label in enumerate(TLPS):
        visible = TLPS.index(label) <= TLPS.index(ceiling)
        assert (f"t{n}.evil.example" in page) is visible, label
    withheld = sum(TLPS.index(i.tlp) > TLPS.index(ceiling) for i in incident.indicators.all())
    if withheld:
        assert f'data-withheld="{withheld}"' in page
    else:
        assert "data-withheld" not in page


def test_a_guest_below_the_incidents_own_tlp_sees_no_indicator(incident, csirt_lead):
    _labelled(incident, csirt_lead)
    Incident.objects.filter(pk=incident.pk).update(tlp="RED")
    page = _guest(incident, csirt_lead, "AMBER").get("/guest/").content.decode()
    assert "t0.evil.example" not in page


@pytest.mark.parametrize("ceiling", ["CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED"])
def test_the_incident_report_leaves_out_and_counts_what_is_above_the_chosen_tlp(
    ceiling, client, incident, csirt_lead
):
    _labelled(incident, csirt_lead)
    client.force_login(csirt_lead)
    page = client.get(f"/incidents/{incident.ref}/report/?tlp={ceiling}").content.decode()
    for n, label in enumerate(TLPS):
        assert (f"t{n}.evil.example" in page) is tlp.within(label, ceiling), label
    from records import report

    built = report.incident_report(incident=incident, tlp=ceiling)
    expected = sum(not tlp.within(row.tlp, ceiling) for row in incident.indicators.all())
    assert built.indicators_withheld == expected


def test_the_tlp_page_changes_an_indicators_tlp_on_the_timeline(client, incident, isms_office):
    indicator = incident.indicators.first()
    client.force_login(isms_office)
    page = client.get(f"/incidents/{incident.ref}/indicators/tlp/")
    assert page.status_code == 200
    assert "withheld" in page.content.decode() or "除外" in page.content.decode()
    done = client.post(
        f"/incidents/{incident.ref}/indicators/tlp/", {"indicator": indicator.pk, "tlp": "GREEN"}
    )
    assert done.status_code == 303
    indicator.refresh_from_db()
    assert indicator.tlp == "GREEN"
    entry = incident.timeline.filter(kind="indicator.tlp_changed").get()
    assert (entry.payload["previous_tlp"], entry.payload["tlp"]) == ("AMBER_STRICT", "GREEN")


@pytest.mark.parametrize(
    "data", [{"indicator": "x", "tlp": "GREEN"}, {"tlp": "PURPLE"}, {"indicator": "9" * 40}]
)
def test_the_tlp_page_refuses_bad_input_and_changes_nothing(client, incident, isms_office, data):
    client.force_login(isms_office)
    before = list(incident.indicators.values_list("tlp", flat=True))
    data = {"indicator": incident.indicators.first().pk, **data}
    answer = client.post(f"/incidents/{incident.ref}/indicators/tlp/", data)
    assert answer.status_code == 400
    assert list(incident.indicators.values_list("tlp", flat=True)) == before


def test_a_reporter_cannot_change_a_tlp(client, incident, reporter):
    client.force_login(reporter)
    indicator = incident.indicators.first()
    answer = client.post(
        f"/incidents/{incident.ref}/indicators/tlp/", {"indicator": indicator.pk, "tlp": "CLEAR"}
    )
    assert answer.status_code in (403, 404)
    indicator.refresh_from_db()
    assert indicator.tlp != "CLEAR"
