"""Rule N-4 (DOMAIN-MODEL §3.7): the TLP a communication may carry, by audience. Pure.

TLP 2.0 from the loosest to the strictest: CLEAR, GREEN, AMBER, AMBER+STRICT, RED. To the media
or the public only CLEAR; to an ISAC GREEN or tighter; to JPCERT/CC or IPA AMBER or tighter;
inside the organisation AMBER+STRICT unless the author chooses otherwise.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from comms.enums import Audience
from incidents.models.enums import Tlp

ORDER = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED)


def rank(tlp: str) -> int:
    return ORDER.index(Tlp(tlp))


def at_least(floor: str) -> frozenset[str]:
    return frozenset(t.value for t in ORDER[rank(floor) :])


# audience → the TLP labels N-4 allows (audiences not listed: any label).
ALLOWED: dict[str, frozenset[str]] = {
    Audience.MEDIA: frozenset({Tlp.CLEAR.value}),
    Audience.PUBLIC: frozenset({Tlp.CLEAR.value}),
    Audience.ISAC: at_least(Tlp.GREEN),
    Audience.JPCERT_CC: at_least(Tlp.AMBER),
    Audience.IPA: at_least(Tlp.AMBER),
}
# What N-4 says, for the refusal (in the user's language).
SAYS: dict[str, object] = {
    Audience.MEDIA: _("To the media or the public only TLP:CLEAR (rule N-4)."),
    Audience.PUBLIC: _("To the media or the public only TLP:CLEAR (rule N-4)."),
    Audience.ISAC: _("To an ISAC TLP:GREEN or tighter (rule N-4)."),
    Audience.JPCERT_CC: _("To JPCERT/CC or IPA TLP:AMBER or tighter (rule N-4)."),
    Audience.IPA: _("To JPCERT/CC or IPA TLP:AMBER or tighter (rule N-4)."),
}
# The label a new communication gets when the author gives none.
DEFAULT: dict[str, str] = {
    Audience.ALL_STAFF: Tlp.AMBER_STRICT,
    Audience.DEPARTMENT: Tlp.AMBER_STRICT,
    Audience.MEDIA: Tlp.CLEAR,
    Audience.PUBLIC: Tlp.CLEAR,
    Audience.CUSTOMERS: Tlp.CLEAR,
    Audience.ISAC: Tlp.GREEN,
}
DEFAULT_OTHERS = Tlp.AMBER


def default_tlp(audience: str) -> str:
    return str(DEFAULT.get(audience, DEFAULT_OTHERS))


def tlp_allowed(audience: str, tlp: str) -> bool:
    allowed = ALLOWED.get(audience)
    return allowed is None or tlp in allowed


def shareable(item_tlp: str, message_tlp: str) -> bool:
    """May content labelled ``item_tlp`` go into a message labelled ``message_tlp``? Only when
    the message is at least as strict (an AMBER indicator never goes into a CLEAR notice)."""
    return rank(item_tlp) <= rank(message_tlp)
