"""Rules T-2 and T-3 (DOMAIN-MODEL §3.9): what TLP may go to which recipient class. Pure.

TLP 2.0 from the loosest to the strictest: CLEAR, GREEN, AMBER, AMBER+STRICT, RED.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents import tlp as tlp_rules
from incidents.models.enums import Tlp

ORDER = tlp_rules.ORDER


class Recipient(models.TextChoices):
    JPCERT_CC = "JPCERT_CC", _("JPCERT/CC")
    ISAC = "ISAC", _("ISAC")
    PUBLIC = "PUBLIC", _("The public")


# T-2: the loosest-to-strictest ceiling each recipient class may receive.
CEILING: dict[str, str] = {
    Recipient.PUBLIC: Tlp.CLEAR,
    Recipient.ISAC: Tlp.GREEN,
    Recipient.JPCERT_CC: Tlp.AMBER,
}

# The TLP 2.0 marking definitions by their official ids (DOMAIN-MODEL §2.3).
TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
MARKING_IDS: dict[str, str] = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
NAMES: dict[str, str] = {
    Tlp.CLEAR: "clear",
    Tlp.GREEN: "green",
    Tlp.AMBER: "amber",
    Tlp.AMBER_STRICT: "amber+strict",
    Tlp.RED: "red",
}


rank = tlp_rules.rank


def stricter(a: str, b: str) -> str:
    return a if rank(a) >= rank(b) else b


def permits(recipient: str, tlp: str) -> bool:
    """T-2: an object goes to the recipient only when its TLP is within the class's ceiling."""
    return tlp_rules.within(tlp, CEILING[recipient])


def incident_permits(recipient: str, tlp: str) -> bool:
    """T-2: the incident object itself never leaves when RED, whatever the recipient."""
    if tlp == Tlp.RED:
        return False
    return permits(recipient, tlp)


def sighting_tlp(indicator_tlp: str) -> str:
    """T-3: a sighting reveals the victim, so it is at least AMBER."""
    return stricter(indicator_tlp, Tlp.AMBER)


def tlp_from_marking(marking_id: str) -> str | None:
    for tlp, known in MARKING_IDS.items():
        if known == marking_id:
            return str(tlp)
    return None
