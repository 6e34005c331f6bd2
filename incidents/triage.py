"""Priority from the triage matrix (category × impact). Pure; settings come in as a dict."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

# The default matrix: categories that spread or leak rank higher; impact raises the rank.
_BASE = {
    "TARGETED_EMAIL": 2,
    "RANSOMWARE": 1,
    "DATA_LEAK": 1,
    "UNAUTHORIZED_ACCESS": 2,
    "MALWARE_INFECTION": 2,
    "BEC": 2,
    "CREDENTIAL_PHISHING": 2,
    "WEB_DEFACEMENT": 2,
    "DOS": 2,
    "INSIDER_MISUSE": 2,
    "MISDIRECTED_TRANSMISSION": 3,
    "LOSS_THEFT": 3,
    "SYSTEM_OUTAGE": 3,
    "VULNERABILITY": 4,
    "SCAN_PROBE": 4,
    "OTHER": 3,
}
_IMPACT_SHIFT = {"HIGH": -1, "MEDIUM": 0, "LOW": 1, "NONE": 2}


def default_priority(category: str, impact: str) -> str:
    rank = _BASE.get(category, 3) + _IMPACT_SHIFT.get(impact, 0)
    return f"P{min(4, max(1, rank))}"


@dataclass(frozen=True)
class TriageResult:
    priority: str
    reason: str


def priority_for(category: str, impact: str, matrix: dict | None = None) -> TriageResult:
    """The organisation's matrix cell if it has one, else the default, with the reason.

    The reason is stored as codes (``source:category:impact:priority``) and put in words when it
    is shown (``reason_text``), in the viewer's language (docs/glossary.md)."""
    cell = ((matrix or {}).get(category) or {}).get(impact)
    if cell in ("P1", "P2", "P3", "P4"):
        source, priority = "organisation", cell
    else:
        source, priority = "default", default_priority(category, impact)
    return TriageResult(priority=priority, reason=f"{source}:{category}:{impact}:{priority}")


def reason_text(reason: str) -> str:
    """A stored reason in words, in the current language; reasons stored as prose before the
    codes (older rows) are shown as they are."""
    from incidents.models.enums import Category, Impact, Priority

    parts = reason.split(":")
    if len(parts) != 4 or parts[0] not in ("organisation", "default"):
        return reason
    source, category, impact, priority = parts
    sources = {
        "organisation": _("organisation triage matrix"),
        "default": _("default triage matrix"),
    }
    return _("%(priority)s from %(source)s: category %(category)s × impact %(impact)s") % {
        "priority": _choice(Priority, priority),
        "source": sources[source],
        "category": _choice(Category, category),
        "impact": _choice(Impact, impact),
    }


def _choice(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value
