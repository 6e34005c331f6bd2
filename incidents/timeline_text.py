"""Timeline entries in words: edits as "field: old → new" with readable labels, statuses by
their names. Apps above incidents add the words for their own kinds
(``extensions.register_timeline_describers``); a kind nobody describes shows its payload with
readable keys and values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents import extensions
from incidents.models import enums as e

# Incident fields an edit names: their labels and, for choices, the choices.
FIELDS: dict[str, tuple[Any, type | None]] = {
    "title": (gettext_lazy("title"), None),
    "description": (gettext_lazy("description"), None),
    "category": (gettext_lazy("category"), e.Category),
    "attack_vector": (gettext_lazy("attack vector"), e.AttackVector),
    "priority": (gettext_lazy("priority"), e.Priority),
    "tlp": (gettext_lazy("TLP"), e.Tlp),
    "functional_impact": (gettext_lazy("functional impact"), e.Impact),
    "information_impact": (gettext_lazy("information impact"), e.InformationImpact),
    "recoverability": (gettext_lazy("recoverability"), e.Recoverability),
    "determination": (gettext_lazy("determination"), e.Determination),
    "recurrence_prevention": (gettext_lazy("recurrence prevention"), None),
    "csirt_lead": (gettext_lazy("CSIRT lead"), None),
    "owner": (gettext_lazy("owner"), None),
}
# Payload keys of the other incident kinds whose values are codes of these choices.
VALUE_CHOICES: dict[str, type] = {
    "infection_state": e.InfectionState,
    "containment_state": e.ContainmentState,
    "remediation_state": e.RemediationState,
    "isolation_method": e.IsolationMethod,
    "infection_via": e.InfectionVia,
    "status": e.TaskStatus,
    "kind": e.IndicatorKind,
    "blocked_by": e.BlockPoint,
    "disposition": e.Disposition,
    "category": e.Category,
    "priority": e.Priority,
}
SHORT = 80
# Keys of the other kinds, in words; ids of related rows are left out (the record links them).
KEY_LABELS: dict[str, Any] = {
    "code": gettext_lazy("code"),
    "status": gettext_lazy("status"),
    "level": gettext_lazy("level"),
    "ref": gettext_lazy("reference"),
    "title": gettext_lazy("title"),
    "value": gettext_lazy("value"),
    "kind": gettext_lazy("kind"),
    "asset_tag": gettext_lazy("asset tag"),
    "blocked_by": gettext_lazy("Blocked at"),
    "infection_state": gettext_lazy("Infection"),
    "containment_state": gettext_lazy("Isolation"),
    "isolation_method": gettext_lazy("Isolation method"),
    "remediation_state": gettext_lazy("Remediation"),
}
ID_KEYS = frozenset(
    {"task", "event", "decision", "action", "report", "asset", "affected", "indicator",
     "evidence", "delivery", "message", "time_to_triage_s", "reports"}
)  # fmt: skip


def _label(choices: type | None, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return "、".join(_label(choices, item) for item in value)
    if choices is not None and value in choices.values:  # type: ignore[attr-defined]
        return str(choices(value).label)  # type: ignore[operator]
    text = str(value)
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def change_line(field: str, old: Any, new: Any, old_label: str = "", new_label: str = "") -> str:
    name, choices = FIELDS.get(field, (field, None))
    before = old_label or _label(choices, old)
    after = new_label or _label(choices, new)
    return _("%(field)s: %(old)s → %(new)s") % {"field": name, "old": before, "new": after}


def _updated(payload: dict[str, Any]) -> list[str]:
    if "field" in payload:  # one entry per edited field
        return [
            change_line(
                payload["field"],
                payload.get("from"),
                payload.get("to"),
                payload.get("from_label", ""),
                payload.get("to_label", ""),
            )
        ]
    changes = payload.get("changes") or {}  # older entries: every field in one entry
    return [change_line(name, pair[0], pair[1]) for name, pair in changes.items()]


def _status(payload: dict[str, Any]) -> list[str]:
    lines = [
        _("Status: %(old)s → %(new)s")
        % {
            "old": _label(e.IncidentStatus, payload.get("from")),
            "new": _label(e.IncidentStatus, payload.get("to")),
        }
    ]
    if payload.get("reason") == "reinfection":
        lines.append(_("Reason: a new infection"))
    elif payload.get("reason"):
        lines.append(_("Reason: %(reason)s") % {"reason": payload["reason"]})
    if payload.get("waived_tasks"):
        lines.append(
            _("%(n)s open tasks waived: %(reason)s")
            % {"n": payload["waived_tasks"], "reason": payload.get("waive_reason", "")}
        )
    return lines


def _task_finished(payload: dict[str, Any]) -> list[str]:
    values = {
        "code": payload.get("code") or "",
        "status": _label(e.TaskStatus, payload.get("status")),
    }
    return [(_("%(code)s: %(status)s") % values).strip(": ：")]


def _asset_updated(payload: dict[str, Any]) -> list[str]:
    lines = [str(payload.get("asset", ""))] if payload.get("asset") else []
    for key, pair in (payload.get("changes") or {}).items():
        choices = VALUE_CHOICES.get(key)
        values = {
            "field": KEY_LABELS.get(key, key),
            "old": _label(choices, pair[0]),
            "new": _label(choices, pair[1]),
        }
        lines.append(_("%(field)s: %(old)s → %(new)s") % values)
    return lines


DESCRIBERS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "incident.updated": _updated,
    "incident.status_changed": _status,
    "task.finished": _task_finished,
    "asset.updated": _asset_updated,
}


def _generic(payload: dict[str, Any]) -> list[str]:
    lines = []
    for key, value in payload.items():
        if isinstance(value, dict) or key in ID_KEYS:
            continue  # snapshots, nested records and row ids: the API and the record have them
        name = KEY_LABELS.get(key) or FIELDS.get(key, (None, None))[0] or key.replace("_", " ")
        value_text = _label(VALUE_CHOICES.get(key), value)
        lines.append(_("%(key)s: %(value)s") % {"key": name, "value": value_text})
    return lines


def describe(kind: str, payload: dict[str, Any]) -> list[str]:
    """The lines an entry reads as, in the current language."""
    describer = DESCRIBERS.get(kind) or extensions.timeline_describers().get(kind)
    return describer(payload or {}) if describer else _generic(payload or {})
