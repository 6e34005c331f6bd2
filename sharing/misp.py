"""MISP event of one incident for one recipient class (issue 22 item 3, rules T-2/T-3).

The JSON is MISP's own event format (`{"Event": {…, "Attribute": […], "Tag": […]}}`), the one
MISP's "Add event from JSON" and PyMISP's `MISPEvent.load` read. Each indicator becomes an
attribute when T-2 permits its TLP (the same `sharing.tlp.permits` as the STIX export); its
`to_ids` says whether a detection system may alert on it, its `distribution` follows its TLP and
it carries the `tlp:*` tag of MISP's TLP taxonomy. The incident's title and description go in
only when the incident itself may leave (never when RED). Uuids are UUIDv5 over the
organisation and the record, like the STIX ids, so a repeated export updates the same event.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from incidents import selectors
from incidents.models import Incident, Indicator
from incidents.models.enums import IndicatorKind, Tlp
from sharing import tlp as rules

NAMESPACE = uuid.UUID("9d0c4f52-7a1e-5b7c-8e21-6f3a1c2b9d40")

# Indicator kind → (MISP attribute type, category, to_ids).
TYPES: dict[str, tuple[str, str, bool]] = {
    IndicatorKind.SENDER_ADDRESS: ("email-src", "Payload delivery", True),
    IndicatorKind.SUBJECT: ("email-subject", "Payload delivery", False),
    IndicatorKind.MESSAGE_ID: ("email-message-id", "Payload delivery", False),
    IndicatorKind.URL: ("url", "Network activity", True),
    IndicatorKind.DOMAIN: ("domain", "Network activity", True),
    IndicatorKind.IP: ("ip-dst", "Network activity", True),
    IndicatorKind.FILE_SHA256: ("sha256", "Payload delivery", True),
    IndicatorKind.FILE_NAME: ("filename", "Payload delivery", False),
    IndicatorKind.C2_DOMAIN: ("domain", "Network activity", True),
    IndicatorKind.C2_IP: ("ip-dst", "Network activity", True),
}

# MISP distribution levels: 0 your organisation only, 1 this community only, 2 connected
# communities, 3 all communities. A label's distribution reaches no further than TLP allows.
DISTRIBUTION: dict[str, int] = {
    Tlp.CLEAR: 3,
    Tlp.GREEN: 2,
    Tlp.AMBER: 1,
    Tlp.AMBER_STRICT: 0,
    Tlp.RED: 0,
}


@dataclass(frozen=True)
class Export:
    event: str  # the JSON text
    included: int
    withheld: int
    tlp: str  # what N-4 asks of the recipient: the communication's label


def misp_uuid(organisation_id: int, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{organisation_id}:{key}"))


def tag(tlp: str) -> dict[str, str]:
    return {"name": f"tlp:{rules.NAMES[tlp]}"}


def _value(indicator: Indicator) -> str:
    return indicator.value if indicator.kind == IndicatorKind.SUBJECT else indicator.normalized


def _attribute(incident: Incident, indicator: Indicator) -> dict[str, object]:
    kind, category, to_ids = TYPES[indicator.kind]
    return {
        "uuid": misp_uuid(incident.organisation_id, f"attribute:{indicator.pk}"),
        "type": kind,
        "category": category,
        "value": _value(indicator),
        "to_ids": to_ids,
        "distribution": str(DISTRIBUTION[indicator.tlp]),
        "comment": str(indicator.get_kind_display()),
        "timestamp": str(int(indicator.updated_at.timestamp())),
        "first_seen": indicator.first_seen.isoformat(),
        "last_seen": max(indicator.last_seen, indicator.first_seen).isoformat(),
        "Tag": [tag(indicator.tlp)],
    }


def build(incident: Incident, recipient: str, organisation_name: str) -> Export:
    """The event for the recipient: each attribute only when T-2 permits its TLP."""
    attributes: list[dict[str, object]] = []
    labels: list[str] = []
    withheld = 0
    for indicator in selectors.indicators_of(incident):
        if indicator.kind in TYPES and rules.permits(recipient, indicator.tlp):
            attributes.append(_attribute(incident, indicator))
            labels.append(indicator.tlp)
        else:
            withheld += 1
    if rules.incident_permits(recipient, incident.tlp):
        info = f"{incident.ref} {incident.title}"[:250]
        labels.append(incident.tlp)
        told = 1
    else:
        info = _("Indicators shared by %(organisation)s") % {"organisation": organisation_name}
        withheld += 1  # the incident's own words
        told = 0
    label = max(labels, key=rules.rank) if labels else Tlp.CLEAR
    event = {
        "Event": {
            "uuid": misp_uuid(incident.organisation_id, f"event:{incident.ref}"),
            "info": info,
            "date": incident.created_at.date().isoformat(),
            "threat_level_id": "2",  # medium: the sender decides nothing for the recipient
            "analysis": "1",  # ongoing
            "distribution": str(DISTRIBUTION[label]),
            "published": False,
            "timestamp": str(int(incident.updated_at.timestamp())),
            "Orgc": {
                "name": organisation_name,
                "uuid": misp_uuid(incident.organisation_id, "organisation"),
            },
            "Tag": [tag(label)],
            "Attribute": attributes,
        }
    }
    return Export(
        event=json.dumps(event, ensure_ascii=False, indent=2),
        included=len(attributes) + told,
        withheld=withheld,
        tlp=str(rules.CEILING[recipient]),
    )
