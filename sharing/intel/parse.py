"""Read a received document (a STIX 2.1 bundle or a MISP event) into observable values. Pure:
nothing is stored here, and a file that cannot be used raises InvalidInput before anything is.

Every refusal has a machine-readable code (docs/api.md) and a message in the user's language.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import stix2
from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from common.errors import InvalidInput
from common.parsers import MAX_DEPTH, too_deep
from incidents import normalize
from incidents.models.enums import IndicatorKind, Tlp
from sharing import tlp as rules

# STIX object paths → the kinds the organisation's records are keyed on (sharing/stix.py out).
STIX_PATHS: dict[str, str] = {
    "email-message:from_ref.value": IndicatorKind.SENDER_ADDRESS,
    "email-message:sender_ref.value": IndicatorKind.SENDER_ADDRESS,
    "email-addr:value": IndicatorKind.SENDER_ADDRESS,
    "email-message:subject": IndicatorKind.SUBJECT,
    "email-message:message_id": IndicatorKind.MESSAGE_ID,
    "url:value": IndicatorKind.URL,
    "domain-name:value": IndicatorKind.DOMAIN,
    "ipv4-addr:value": IndicatorKind.IP,
    "ipv6-addr:value": IndicatorKind.IP,
    "file:hashes.'sha-256'": IndicatorKind.FILE_SHA256,
    "file:hashes.sha256": IndicatorKind.FILE_SHA256,
    "file:hashes.'sha256'": IndicatorKind.FILE_SHA256,
    "file:name": IndicatorKind.FILE_NAME,
}
_COMPARISON = re.compile(r"([a-z0-9-]+:[a-z0-9_.'\-]+)\s*=\s*'((?:[^'\\]|\\.)*)'", re.IGNORECASE)

# MISP attribute types → kinds; "a|b" types carry two values.
MISP_TYPES: dict[str, str] = {
    "email-src": IndicatorKind.SENDER_ADDRESS,
    "email": IndicatorKind.SENDER_ADDRESS,
    "email-subject": IndicatorKind.SUBJECT,
    "email-message-id": IndicatorKind.MESSAGE_ID,
    "url": IndicatorKind.URL,
    "link": IndicatorKind.URL,
    "domain": IndicatorKind.DOMAIN,
    "hostname": IndicatorKind.DOMAIN,
    "ip-src": IndicatorKind.IP,
    "ip-dst": IndicatorKind.IP,
    "sha256": IndicatorKind.FILE_SHA256,
    "filename": IndicatorKind.FILE_NAME,
}
MISP_TAGS: dict[str, str] = {
    "tlp:clear": Tlp.CLEAR,
    "tlp:white": Tlp.CLEAR,
    "tlp:green": Tlp.GREEN,
    "tlp:amber": Tlp.AMBER,
    "tlp:amber+strict": Tlp.AMBER_STRICT,
    "tlp:red": Tlp.RED,
}
# MISP distribution when no tlp: tag says more: 0 this organisation only … 3 all communities.
MISP_DISTRIBUTION: dict[str, str] = {
    "0": Tlp.AMBER_STRICT,
    "1": Tlp.AMBER,
    "2": Tlp.GREEN,
    "3": Tlp.CLEAR,
    "4": Tlp.AMBER,
}
# TLP 1.0 marking ids, still common in feeds: read as their TLP 2.0 equivalents.
TLP1_MARKINGS: dict[str, str] = {
    stix2.TLP_WHITE.id: Tlp.CLEAR,
    stix2.TLP_GREEN.id: Tlp.GREEN,
    stix2.TLP_AMBER.id: Tlp.AMBER,
    stix2.TLP_RED.id: Tlp.RED,
}
logger = logging.getLogger(__name__)
DEFAULT_TLP = Tlp.AMBER  # T-1: an indicator without a label is AMBER


@dataclass(frozen=True)
class Parsed:
    external_id: str
    modified: datetime
    source: str
    name: str
    kind: str
    value: str
    normalized: str
    tlp: str
    valid_from: datetime | None
    valid_until: datetime | None


@dataclass(frozen=True)
class Document:
    source_format: str
    items: list[Parsed]


def max_bytes() -> int:
    return int(getattr(settings, "INTEL_IMPORT_MAX_BYTES", 10 * 1024 * 1024))


def read(raw: bytes, *, label: str = "") -> Document:
    """The usable values of a document; InvalidInput (400) for a file that cannot be used."""
    if len(raw) > max_bytes():
        raise InvalidInput(
            "intel_too_large",
            _("The file is larger than %(mb)d MB.") % {"mb": max_bytes() // (1024 * 1024)},
        )
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise _too_deep() from None
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput(
            "intel_not_json", _("The file is not JSON: choose a STIX 2.1 bundle or a MISP event.")
        ) from None
    if too_deep(data):
        raise _too_deep()
    if isinstance(data, dict) and data.get("type") == "bundle":
        document = Document("STIX", _stix(data, label))
    elif isinstance(data, dict) and isinstance(
        data.get("Event", data.get("response")), dict | list
    ):
        document = Document("MISP", _misp(data, label))
    else:
        raise InvalidInput(
            "intel_unknown_format",
            _("The file is neither a STIX 2.1 bundle nor a MISP event."),
        )
    if not document.items:
        raise InvalidInput(
            "intel_no_usable_objects",
            _(
                "The file holds no indicator this application can match (sender, URL, domain, IP"
                " address, file hash, subject)."
            ),
        )
    return document


def _too_deep() -> InvalidInput:
    return InvalidInput(
        "intel_too_deep",
        _("The file nests deeper than %(limit)d levels.") % {"limit": MAX_DEPTH},
    )


def _wrong_version(found: Any) -> InvalidInput:
    return InvalidInput(
        "intel_wrong_spec_version",
        _("The bundle is STIX %(found)s; only STIX 2.1 is read.") % {"found": str(found)[:10]},
    )


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):  # the library's STIXdatetime: a plain one for the ORM
        return datetime.fromisoformat(value.isoformat())
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value)
        except ValueError:
            return None
        if parsed is not None and parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed
    return None


def _value(kind: str, value: str) -> tuple[str, str] | None:
    value = value.strip()
    normalized = normalize.normalise(kind, value)
    if not normalized or len(value) > 2000 or len(normalized) > 2000:
        return None
    return value, normalized


# --- STIX 2.1 ----------------------------------------------------------------------------------


def tlp_of_markings(refs: Any) -> str:
    """T-3 read back: the strictest TLP 2.0 (or 1.0) marking the object names; AMBER if none."""
    found = []
    for ref in refs if isinstance(refs, list) else []:
        tlp = rules.tlp_from_marking(str(ref)) or TLP1_MARKINGS.get(str(ref))
        if tlp:
            found.append(tlp)
    if not found:
        return DEFAULT_TLP
    strictest = found[0]
    for tlp in found[1:]:
        strictest = rules.stricter(strictest, tlp)
    return str(strictest)


def _stix_indicator(obj: dict[str, Any]) -> Any:
    """The library checks the required properties and the pattern's grammar; an object it
    refuses is skipped (logged), not stored."""
    try:
        return stix2.parse(obj, allow_custom=True, version="2.1")
    except Exception as exc:  # the library raises many kinds; each means "unusable"
        logger.info("STIX object %s skipped: %s", str(obj.get("id"))[:100], exc)
        return None


def _stix(bundle: dict[str, Any], label: str) -> list[Parsed]:
    if "spec_version" in bundle:  # a STIX 2.0 bundle carries its version on the bundle
        raise _wrong_version(bundle["spec_version"])
    objects = bundle.get("objects")
    if not isinstance(objects, list):
        return []
    for obj in objects:
        if isinstance(obj, dict) and obj.get("spec_version", "2.1") != "2.1":
            raise _wrong_version(obj.get("spec_version"))
    identities = {
        o.get("id"): str(o.get("name") or "")
        for o in objects
        if isinstance(o, dict) and o.get("type") == "identity"
    }
    items: list[Parsed] = []
    for obj in objects:
        if not isinstance(obj, dict) or obj.get("type") != "indicator":
            continue
        if obj.get("pattern_type", "stix") != "stix" or obj.get("revoked"):
            continue
        indicator = _stix_indicator(obj)
        if indicator is None:
            continue
        source = label or identities.get(obj.get("created_by_ref"), "") or str(_("Unknown source"))
        modified = _when(indicator.get("modified")) or _when(indicator.get("created"))
        for path, raw in _COMPARISON.findall(str(indicator.pattern)):
            kind = STIX_PATHS.get(path.lower())
            value = _value(kind, raw.replace("\\'", "'").replace("\\\\", "\\")) if kind else None
            if kind is None or value is None:
                continue
            items.append(
                Parsed(
                    external_id=str(indicator.id),
                    modified=modified or datetime.now(UTC),
                    source=source[:200],
                    name=str(indicator.get("name") or "")[:300],
                    kind=kind,
                    value=value[0],
                    normalized=value[1],
                    tlp=tlp_of_markings(obj.get("object_marking_refs")),
                    valid_from=_when(indicator.get("valid_from")),
                    valid_until=_when(indicator.get("valid_until")),
                )
            )
    return items


# --- MISP --------------------------------------------------------------------------------------


def _tags(holder: dict[str, Any]) -> list[str]:
    tags = holder.get("Tag")
    return (
        [str(t.get("name", "")).lower() for t in tags if isinstance(t, dict)]
        if isinstance(tags, list)
        else []
    )


def _misp_tlp(holder: dict[str, Any], fallback: str) -> str:
    for tag in _tags(holder):
        if tag.replace(" ", "") in MISP_TAGS:
            return MISP_TAGS[tag.replace(" ", "")]
    distribution = str(holder.get("distribution", ""))
    return MISP_DISTRIBUTION.get(distribution, fallback)


def _stamp(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(str(value)), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return _when(value)


def _events(data: dict[str, Any]) -> list[dict[str, Any]]:
    if isinstance(data.get("Event"), dict):
        return [data["Event"]]
    response = data.get("response")
    wrapped = response if isinstance(response, list) else [response]
    return [r["Event"] for r in wrapped if isinstance(r, dict) and isinstance(r.get("Event"), dict)]


def _misp(data: dict[str, Any], label: str) -> list[Parsed]:
    items: list[Parsed] = []
    for event in _events(data):
        orgc = event.get("Orgc") if isinstance(event.get("Orgc"), dict) else {}
        source = label or str(orgc.get("name") or "") or str(_("Unknown source"))
        event_tlp = _misp_tlp(event, DEFAULT_TLP)
        event_modified = _stamp(event.get("timestamp")) or datetime.now(UTC)
        attributes = [a for a in event.get("Attribute") or [] if isinstance(a, dict)]
        for obj in event.get("Object") or []:
            if isinstance(obj, dict):
                attributes += [a for a in obj.get("Attribute") or [] if isinstance(a, dict)]
        for attribute in attributes:
            items += _misp_attribute(attribute, event, source, event_tlp, event_modified)
    return items


def _misp_attribute(
    attribute: dict[str, Any],
    event: dict[str, Any],
    source: str,
    event_tlp: str,
    event_modified: datetime,
) -> list[Parsed]:
    uuid = str(attribute.get("uuid") or "")
    if not uuid or attribute.get("deleted") in (True, "1", 1):
        return []
    types = str(attribute.get("type", "")).split("|")
    values = str(attribute.get("value", "")).split("|")
    if len(types) != len(values):
        return []
    found = []
    for misp_type, raw in zip(types, values, strict=True):
        kind = MISP_TYPES.get(misp_type)
        value = _value(kind, raw) if kind else None
        if kind is None or value is None:
            continue
        found.append(
            Parsed(
                external_id=f"misp:{uuid}",
                modified=_stamp(attribute.get("timestamp")) or event_modified,
                source=source[:200],
                name=str(event.get("info") or "")[:300],
                kind=kind,
                value=value[0],
                normalized=value[1],
                tlp=_misp_tlp(attribute, event_tlp) if _tags(attribute) else event_tlp,
                valid_from=_stamp(attribute.get("first_seen")),
                valid_until=_stamp(attribute.get("last_seen")),
            )
        )
    return found
