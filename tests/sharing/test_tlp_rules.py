"""Rules T-2 and T-3 as data (sharing.tlp): the recipient × TLP matrix, the incident never when
RED, a sighting at least AMBER. Pure: no database (the mutation gate runs these)."""

import pytest

from sharing import tlp as rules

TLPS = ["CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED"]
WITHIN = {
    "PUBLIC": {"CLEAR"},
    "ISAC": {"CLEAR", "GREEN"},
    "JPCERT_CC": {"CLEAR", "GREEN", "AMBER"},
}


@pytest.mark.parametrize("recipient", sorted(WITHIN))
@pytest.mark.parametrize("label", TLPS)
def test_an_object_goes_to_a_recipient_class_only_within_its_ceiling(recipient, label):
    assert rules.permits(recipient, label) is (label in WITHIN[recipient])
    assert rules.incident_permits(recipient, label) is (label in WITHIN[recipient])


def test_jpcert_receives_no_amber_strict_incident():
    assert not rules.incident_permits("JPCERT_CC", "AMBER_STRICT")


def test_a_red_incident_never_leaves_even_if_a_ceiling_would_let_it_through(monkeypatch):
    monkeypatch.setitem(rules.CEILING, "JPCERT_CC", "RED")
    assert rules.permits("JPCERT_CC", "RED")
    assert not rules.incident_permits("JPCERT_CC", "RED")


@pytest.mark.parametrize(
    ("indicator", "sighting"),
    [
        ("CLEAR", "AMBER"),
        ("GREEN", "AMBER"),
        ("AMBER", "AMBER"),
        ("AMBER_STRICT", "AMBER_STRICT"),
        ("RED", "RED"),
    ],
)
def test_a_sighting_is_the_stricter_of_its_indicators_tlp_and_amber(indicator, sighting):
    assert rules.sighting_tlp(indicator) == sighting


def test_markings_are_the_official_tlp_2_ids():
    assert rules.MARKING_IDS["CLEAR"] == "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
    assert rules.tlp_from_marking(rules.MARKING_IDS["AMBER_STRICT"]) == "AMBER_STRICT"
