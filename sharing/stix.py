"""STIX 2.1 bundle of one incident for one recipient class (rules T-2, T-3), with `stix2`.

Ids are UUIDv5 over the organisation and the record, so a repeated export names the same
objects and the recipient de-duplicates them (DOMAIN-MODEL §8).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import stix2

from incidents import normalize, selectors
from incidents.models import Incident, Indicator, MailMessage
from incidents.models.enums import IndicatorKind, Tlp
from sharing import tlp as rules

NAMESPACE = uuid.UUID("5b8a3c0e-4f7e-5e1a-9c1f-3a2d8e6b7c10")
MAIL_KINDS = (IndicatorKind.SENDER_ADDRESS, IndicatorKind.URL, IndicatorKind.FILE_SHA256)
PATTERNS: dict[str, str] = {
    IndicatorKind.SENDER_ADDRESS: "email-message:from_ref.value",
    IndicatorKind.SUBJECT: "email-message:subject",
    IndicatorKind.MESSAGE_ID: "email-message:message_id",
    IndicatorKind.URL: "url:value",
    IndicatorKind.DOMAIN: "domain-name:value",
    IndicatorKind.C2_DOMAIN: "domain-name:value",
    IndicatorKind.IP: "ipv4-addr:value",
    IndicatorKind.C2_IP: "ipv4-addr:value",
    IndicatorKind.FILE_SHA256: "file:hashes.'SHA-256'",
    IndicatorKind.FILE_NAME: "file:name",
}


@dataclass(frozen=True)
class Export:
    bundle: str
    included: int
    withheld: int
    tlp: str  # the strictest label that left: the communication's


def stix_id(kind: str, organisation_id: int, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{organisation_id}:{kind}:{key}')}"


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def pattern(indicator: Indicator) -> str:
    path = PATTERNS[indicator.kind]
    if indicator.kind in (IndicatorKind.IP, IndicatorKind.C2_IP) and ":" in indicator.normalized:
        path = "ipv6-addr:value"
    value = indicator.value if indicator.kind == IndicatorKind.SUBJECT else indicator.normalized
    return f"[{path} = {_quote(value)}]"


def marking(tlp: str) -> dict[str, object]:
    """The official TLP 2.0 marking definition object (the same in every bundle)."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": rules.MARKING_IDS[tlp],
        "created": "2022-10-01T00:00:00.000Z",
        "name": f"TLP:{rules.NAMES[tlp].upper()}",
        "extensions": {
            rules.TLP2_EXTENSION: {
                "extension_type": "property-extension",
                "tlp_2_0": rules.NAMES[tlp],
            }
        },
    }


def _common(kind: str, incident: Incident, key: str, tlp: str, at: datetime) -> dict:
    return {
        "id": stix_id(kind, incident.organisation_id, key),
        "created": at,
        "modified": at,
        "object_marking_refs": [rules.MARKING_IDS[tlp]],
    }


def _indicator(incident: Incident, indicator: Indicator) -> stix2.Indicator:
    return stix2.Indicator(
        name=f"{indicator.get_kind_display()}: {indicator.value}"[:250],
        pattern=pattern(indicator),
        pattern_type="stix",
        valid_from=indicator.first_seen,
        indicator_types=["malicious-activity"],
        **_common("indicator", incident, str(indicator.pk), indicator.tlp, indicator.created_at),
    )


def _mail_indicator(message: MailMessage, indicators: list[Indicator]) -> Indicator | None:
    """The indicator a mail sighting is of: the sender's, else the URL's, else the hash's."""
    keys = {
        IndicatorKind.SENDER_ADDRESS: normalize.sender(message.sender),
        IndicatorKind.URL: normalize.url(message.url),
        IndicatorKind.FILE_SHA256: normalize.sha256(message.sha256),
    }
    for kind in MAIL_KINDS:
        for indicator in indicators:
            if indicator.kind == kind and keys[kind] and indicator.normalized == keys[kind]:
                return indicator
    return None


def _sighting(
    incident: Incident, message: MailMessage, indicator: Indicator, identity_id: str
) -> tuple[stix2.Sighting, str]:
    label = rules.sighting_tlp(indicator.tlp)
    count = getattr(message, "mail_delivered_count", 0) or 1
    sighting = stix2.Sighting(
        sighting_of_ref=stix_id("indicator", incident.organisation_id, str(indicator.pk)),
        count=count,
        first_seen=message.first_seen,
        last_seen=max(message.last_seen, message.first_seen),
        where_sighted_refs=[identity_id],
        **_common("sighting", incident, str(message.pk), label, message.created_at),
    )
    return sighting, label


def _incident(incident: Incident) -> stix2.Incident:
    return stix2.Incident(
        name=f"{incident.ref} {incident.title}"[:250],
        description=incident.description or incident.title,
        **_common("incident", incident, incident.ref, incident.tlp, incident.created_at),
    )


def build(incident: Incident, recipient: str, organisation_name: str) -> Export:
    """The bundle for the recipient: each object only when T-2 permits its TLP."""
    kept: list[tuple[object, str]] = []
    withheld = 0
    indicators = list(selectors.indicators_of(incident))
    for indicator in indicators:
        if indicator.kind in PATTERNS and rules.permits(recipient, indicator.tlp):
            kept.append((_indicator(incident, indicator), indicator.tlp))
        else:
            withheld += 1
    identity_id = stix_id("identity", incident.organisation_id, "organisation")
    sightings = 0
    for message in selectors.mail_messages_of(incident):
        indicator = _mail_indicator(message, indicators)
        if indicator is None:
            continue
        sighting, label = _sighting(incident, message, indicator, identity_id)
        if rules.permits(recipient, label):
            kept.append((sighting, label))
            sightings += 1
        else:
            withheld += 1
    if rules.incident_permits(recipient, incident.tlp):
        kept.append((_incident(incident), incident.tlp))
    else:
        withheld += 1
    if sightings:
        identity = stix2.Identity(
            name=organisation_name,
            identity_class="organization",
            **_common("identity", incident, "organisation", Tlp.AMBER, incident.created_at),
        )
        kept.append((identity, Tlp.AMBER))
    labels = sorted({label for _, label in kept}, key=rules.rank)
    objects = [marking(label) for label in labels] + [obj for obj, _ in kept]
    bundle = stix2.Bundle(
        objects=objects,
        id=f"bundle--{uuid.uuid4()}",
        allow_custom=False,
    )
    return Export(
        bundle=bundle.serialize(pretty=True, ensure_ascii=False),
        included=len(kept),
        withheld=withheld,
        tlp=str(rules.CEILING[recipient]),  # what N-4 asks of the recipient
    )
