"""Microsoft Defender for Endpoint alerts (the alert resource of its API and its streaming)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from incidents.channels.mapping import (
    MappedAlert,
    as_dict,
    as_list,
    indicators,
    severity_word,
    text,
    unmappable,
)
from incidents.models.enums import Category, IndicatorKind

CATEGORIES = {
    "ransomware": Category.RANSOMWARE,
    "credentialaccess": Category.UNAUTHORIZED_ACCESS,
    "lateralmovement": Category.UNAUTHORIZED_ACCESS,
    "initialaccess": Category.UNAUTHORIZED_ACCESS,
    "exfiltration": Category.DATA_LEAK,
}
EVIDENCE = (
    ("ipAddress", IndicatorKind.IP),
    ("url", IndicatorKind.URL),
    ("domainName", IndicatorKind.DOMAIN),
    ("sha256", IndicatorKind.FILE_SHA256),
)


def map_alert(alert: dict[str, Any]) -> MappedAlert:
    title = text(alert.get("title"))
    if not title:
        raise unmappable(_("The Defender alert has no title."))
    pairs: list[tuple[str, Any]] = []
    for item in as_list(alert.get("evidence")):
        item = as_dict(item)
        pairs += [(kind, item.get(name)) for name, kind in EVIDENCE if item.get(name)]
    return MappedAlert(
        title=title,
        severity=severity_word(alert.get("severity")),
        alert_id=text(alert.get("id"), 200),
        hostname=text(alert.get("computerDnsName"), 255),
        category=CATEGORIES.get(text(alert.get("category")).lower(), Category.MALWARE_INFECTION),
        description=text(alert.get("description"), 4000),
        indicators=indicators(pairs),
    )
