"""What the emergency kit prints, read from the apps that keep it: the roster, the BCP plan's
call tree, the levels and their checklists, the external contacts. Plain data (codes, names,
numbers), so a version can be stored, compared and rendered later in either language."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, RoleAssignment
from accounts.roles import DecisionType, Role
from bcp import selectors as bcp_selectors
from bcp.enums import REQUIRED_ROLE
from bcp.services.decisions import deadline_minutes
from comms import selectors as comms_selectors
from comms.enums import ContactKind
from incidents import selectors as incident_selectors
from risklevels import selectors as level_selectors

# The roles printed with their chain, in the order people look for them in a crisis.
KIT_ROLES = (
    Role.DECISION_MAKER,
    Role.CSIRT_LEAD,
    Role.ISMS_OFFICE,
    Role.POC,
    Role.IT_ADMIN,
    Role.LEGAL_PRIVACY,
    Role.PR,
)
# Who a worker phones first (the first-aid card): the point of contact, else the office.
FIRST_CALL = (Role.POC, Role.ISMS_OFFICE, Role.CSIRT_LEAD)


def _person(assignment: RoleAssignment) -> dict[str, Any]:
    user = assignment.user
    return {
        "rank": assignment.priority,
        "name": str(user),
        "phone": user.phone,
        "email": user.email,
        "scope": sorted(assignment.authority_scope or []),
    }


def _roles(organisation: Organisation) -> dict[str, list[dict[str, Any]]]:
    rows = RoleAssignment.objects.filter(
        organisation=organisation, role__in=KIT_ROLES, user__is_active=True
    ).select_related("user")
    chains: dict[str, list[dict[str, Any]]] = {role: [] for role in KIT_ROLES}
    for assignment in rows.order_by("priority", "id"):
        chains[assignment.role].append(_person(assignment))
    return chains


def _first_call(roles: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    for role in FIRST_CALL:
        for person in roles.get(role, []):
            if person["phone"]:
                return {"role": role, "name": person["name"], "phone": person["phone"]}
    return {"role": "", "name": "", "phone": ""}


def report_url(organisation: Organisation) -> str:
    """The one-tap report page: the organisation's reporting link (no account needed) when one
    is active, else the staff page; absolute, under the base URL the alerts use."""
    link = incident_selectors.reporting_link_active(organisation_id=organisation.pk)
    path = (
        reverse("incidents:link_start", args=[link.token])
        if link
        else reverse("incidents:report_start")
    )
    return settings.ALERT_LINK_BASE_URL.rstrip("/") + path


def _levels(organisation: Organisation) -> list[dict[str, Any]]:
    fields = ("level", "name_ja", "name_en", "happened_ja", "happened_en")
    fields += ("impact_ja", "impact_en", "response_ja", "response_en")
    return list(level_selectors.level_definitions(organisation).values(*fields))


def _checklists(organisation: Organisation) -> list[dict[str, Any]]:
    fields = ("track", "level", "code", "title_ja", "title_en", "owner_role", "target_minutes")
    rows = level_selectors.checklist_templates(organisation).filter(active=True)
    return list(rows.values(*fields))


def _rules(organisation: Organisation) -> dict[str, Any]:
    """The thresholds of the escalation rules in force (risklevels' parameters)."""
    params = level_selectors.escalation_params_in_force(organisation)
    fields = ("infected_threshold", "trend_rule", "external_comm_trigger", "leak_trigger")
    return {
        "version": params.version,
        **{field: getattr(params, field) for field in fields},
        "personal_data_store_rule": params.personal_data_store_rule,
    }


def _contacts(organisation: Organisation) -> list[dict[str, Any]]:
    fields = ("kind", "name", "desk", "phone", "email", "hours", "reference_no")
    return list(comms_selectors.contacts_of(organisation).values(*fields))


def kit_content(organisation: Organisation) -> dict[str, Any]:
    """Everything the kit prints, as plain JSON-able data."""
    roles = _roles(organisation)
    calls = (
        bcp_selectors.call_tree_of(organisation)
        .order_by("order", "id")
        .values("caller_role", "callee", "phone")
    )
    return {
        "organisation": organisation.name,
        "roles": roles,
        "decisions": [
            {
                "type": code,
                "role": REQUIRED_ROLE[code],
                "minutes": deadline_minutes(organisation, code),
            }
            for code in DecisionType.values
        ],
        "call_tree": list(calls),
        "levels": _levels(organisation),
        "checklists": _checklists(organisation),
        "rules": _rules(organisation),
        "contacts": _contacts(organisation),
        "first_call": _first_call(roles),
        "report_url": report_url(organisation),
    }


def fingerprint(content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _localised(row: dict[str, Any], field: str, language: str) -> str:
    return str(row.get(f"{field}_{language}") or row.get(f"{field}_ja") or "")


def _hours(minutes: int | None) -> int | None:
    """A deadline of whole hours reads as hours (24時間, not 1440分)."""
    return minutes // 60 if minutes and minutes >= 120 and minutes % 60 == 0 else None


def _when(trigger: Any) -> str:
    return str(WHEN_CONFIRMED if trigger == "CONFIRMED" else WHEN_SUSPECTED)


WHEN_SUSPECTED = gettext_lazy("already when suspected")
WHEN_CONFIRMED = gettext_lazy("once confirmed")


def criteria(rules: dict[str, Any] | None) -> dict[int, list[str]]:
    """The criteria of levels 2 and 3 with the thresholds in force, rule id last; an older
    version without thresholds prints none."""
    if not rules:
        return {}
    level2 = [
        _("%(n)s or more PCs infected (confirmed or suspected)")
        % {"n": rules["infected_threshold"]}
        + " [L2-a]",
        _("a secondary (lateral) infection") + " [L2-c]",
        _("unauthorised communication to the outside, %(when)s")
        % {"when": _when(rules.get("external_comm_trigger"))}
        + " [L2-d]",
        _("a leak from one PC's local data, %(when)s") % {"when": _when(rules.get("leak_trigger"))}
        + " [L2-e]",
    ]
    if rules.get("trend_rule"):
        level2.insert(1, _("a new infection after a PC was isolated") + " [L2-b]")
    level3 = [
        _("a leak from a server or shared data store, or from two or more PCs, %(when)s")
        % {"when": _when(rules.get("leak_trigger"))}
        + " [L3-a]",
        _("a confirmed leak of personal data") + " [L3-a]",
    ]
    if rules.get("personal_data_store_rule"):
        level3.append(_("a server holding personal or confidential data compromised") + " [L3-b]")
    return {2: level2, 3: level3}


def kit_sheet(content: dict[str, Any], language: str) -> dict[str, Any]:
    """The stored content with labels in ``language`` (``ja`` or ``en``), for the templates."""
    lang = "en" if language == "en" else "ja"
    chains = content.get("roles", {})
    # In the kit's own order: the stored JSON (jsonb) does not keep the keys' order.
    roles = [{"label": Role(code).label, "people": chains.get(code, [])} for code in KIT_ROLES]
    decisions = [
        {
            "label": DecisionType(row["type"]).label,
            "role": Role(row["role"]).label,
            "minutes": row.get("minutes"),
            "hours": _hours(row.get("minutes")),
        }
        for row in content.get("decisions", [])
        if row.get("type") in DecisionType.values and row.get("role") in Role.values
    ]
    rules = criteria(content.get("rules"))
    levels = [
        {
            "level": row["level"],
            "criteria": rules.get(row["level"], []),
            "name": _localised(row, "name", lang),
            "happened": _localised(row, "happened", lang),
            "response": _localised(row, "response", lang),
            "checklist": [
                {
                    "code": item["code"],
                    "track": item["track"],
                    "title": _localised(item, "title", lang),
                    "role": Role(item["owner_role"]).label if item.get("owner_role") else "",
                    "minutes": item.get("target_minutes"),
                }
                for item in content.get("checklists", [])
                if item["level"] == row["level"]
            ],
        }
        for row in content.get("levels", [])
    ]
    calls = [
        {
            **row,
            "caller": Role(row["caller_role"]).label if row["caller_role"] in Role.values else "",
        }
        for row in content.get("call_tree", [])
    ]
    contacts = [
        {
            **row,
            "kind_label": ContactKind(row["kind"]).label
            if row["kind"] in ContactKind.values
            else "",
        }
        for row in content.get("contacts", [])
    ]
    first = dict(content.get("first_call") or {})
    first["role_label"] = Role(first["role"]).label if first.get("role") in Role.values else ""
    return {
        "organisation": content.get("organisation", ""),
        "roles": roles,
        "decisions": decisions,
        "levels": levels,
        "calls": calls,
        "contacts": contacts,
        "first_call": first,
        "report_url": content.get("report_url", ""),
        "rules_version": (content.get("rules") or {}).get("version"),
    }
