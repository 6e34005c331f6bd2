"""Wazuh alerts (the alerts.json document its integrations post)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from incidents.channels.mapping import MappedAlert, as_dict, indicators, text, unmappable
from incidents.models.enums import Category, IndicatorKind


def severity_of(level: Any) -> str:
    """Wazuh rule levels 0–15: 12+ high (15 critical), 7–11 medium, 4–6 low, below informational."""
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 15:
        raise unmappable(_("The Wazuh rule level must be a number from 0 to 15."))
    if level == 15:
        return "critical"
    return (
        "high"
        if level >= 12
        else "medium"
        if level >= 7
        else "low"
        if level >= 4
        else "informational"
    )


def map_alert(alert: dict[str, Any]) -> MappedAlert:
    rule = as_dict(alert.get("rule"))
    title = text(rule.get("description"))
    if not title:
        raise unmappable(_("The Wazuh alert has no rule description."))
    agent, data = as_dict(alert.get("agent")), as_dict(alert.get("data"))
    virustotal = as_dict(as_dict(data.get("virustotal")).get("source"))
    syscheck = as_dict(alert.get("syscheck"))
    groups = (
        [g for g in rule.get("groups", []) if isinstance(g, str)]
        if isinstance(rule.get("groups"), list)
        else []
    )
    return MappedAlert(
        title=title,
        severity=severity_of(rule.get("level")),
        alert_id=text(alert.get("id"), 200),
        hostname=text(agent.get("name"), 255),
        category=Category.UNAUTHORIZED_ACCESS
        if {"authentication_failed", "attack"} & set(groups)
        else Category.MALWARE_INFECTION,
        description=text(alert.get("full_log"), 4000),
        indicators=indicators(
            [
                (IndicatorKind.IP, data.get("srcip")),
                (IndicatorKind.IP, data.get("dstip")),
                (IndicatorKind.URL, data.get("url")),
                (IndicatorKind.DOMAIN, data.get("hostname")),
                (IndicatorKind.FILE_SHA256, virustotal.get("sha256")),
                (IndicatorKind.FILE_SHA256, syscheck.get("sha256_after")),
            ]
        ),
    )
