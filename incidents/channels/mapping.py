"""Turn a tool's alert JSON into the fields of a report (one small function per format)."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from common.errors import InvalidInput
from incidents.models.enums import Category, Impact, IndicatorKind

MAX_INDICATORS = 50  # per kind: a flood of evidence must not become a flood of keys
SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.I)
IMPACT_BY_SEVERITY = {
    "informational": Impact.NONE,
    "low": Impact.LOW,
    "medium": Impact.MEDIUM,
    "high": Impact.HIGH,
    "critical": Impact.HIGH,
}


@dataclass
class MappedAlert:
    title: str
    severity: str  # one of IMPACT_BY_SEVERITY
    alert_id: str = ""
    hostname: str = ""
    category: str = Category.MALWARE_INFECTION
    description: str = ""
    indicators: list[tuple[str, str]] = field(default_factory=list)

    @property
    def impact(self) -> str:
        return IMPACT_BY_SEVERITY[self.severity]

    def key(self) -> str:
        """What makes two posts the same alert: the tool's id, else a digest of the mapping."""
        if self.alert_id:
            return hashlib.sha256(f"id\x00{self.alert_id}".encode()).hexdigest()
        fields = [self.title, self.severity, self.hostname.lower(), sorted(self.indicators)]
        return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def unmappable(why: Any) -> InvalidInput:
    return InvalidInput("alert_unmappable", why)


def text(value: Any, limit: int = 300) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def severity_word(value: Any) -> str:
    word = text(value).lower()
    if word not in IMPACT_BY_SEVERITY:
        raise unmappable(_("The alert's severity is not one the mapping knows."))
    return word


def indicators(pairs: Iterable[tuple[str, Any]]) -> list[tuple[str, str]]:
    """Keep the well-formed ones, each once, at most MAX_INDICATORS of a kind."""
    kept: dict[tuple[str, str], None] = {}
    counts: dict[str, int] = {}
    for kind, raw in pairs:
        value = _valid(kind, text(raw, 2000))
        if value and counts.get(kind, 0) < MAX_INDICATORS and (kind, value) not in kept:
            kept[(kind, value)] = None
            counts[kind] = counts.get(kind, 0) + 1
    return list(kept)


def _valid(kind: str, value: str) -> str:
    if not value:
        return ""
    if kind == IndicatorKind.IP:
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            return ""
    if kind == IndicatorKind.FILE_SHA256:
        return value.lower() if SHA256.match(value) else ""
    if kind == IndicatorKind.DOMAIN:
        return value.lower().rstrip(".") if DOMAIN.match(value.rstrip(".")) else ""
    if kind == IndicatorKind.URL:
        return value if value.lower().startswith(("http://", "https://")) else ""
    return ""


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def map_generic(alert: dict[str, Any]) -> MappedAlert:
    """Our own small format: title, severity, hostname, indicators{ips,domains,urls,sha256}."""
    title = text(alert.get("title"))
    if not title:
        raise unmappable(_("The alert has no title."))
    category = text(alert.get("category")).upper()
    found = as_dict(alert.get("indicators"))
    return MappedAlert(
        title=title,
        severity=severity_word(alert.get("severity")),
        alert_id=text(alert.get("id"), 200),
        hostname=text(alert.get("hostname"), 255),
        category=category if category in Category.values else Category.MALWARE_INFECTION,
        description=text(alert.get("description"), 4000),
        indicators=indicators(
            [(IndicatorKind.IP, v) for v in as_list(found.get("ips"))]
            + [(IndicatorKind.DOMAIN, v) for v in as_list(found.get("domains"))]
            + [(IndicatorKind.URL, v) for v in as_list(found.get("urls"))]
            + [(IndicatorKind.FILE_SHA256, v) for v in as_list(found.get("sha256"))]
        ),
    )


def mapper_for(fmt: str) -> Callable[[dict[str, Any]], MappedAlert]:
    from incidents.channels import defender, wazuh

    return {"GENERIC_JSON": map_generic, "DEFENDER": defender.map_alert, "WAZUH": wazuh.map_alert}[
        fmt
    ]


def map_alert(fmt: str, alert: Any) -> MappedAlert:
    if not isinstance(alert, dict):
        raise unmappable(_("The alert must be a JSON object."))
    return mapper_for(fmt)(alert)
