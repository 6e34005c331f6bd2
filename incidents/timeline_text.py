"""Timeline entries in words: edits as "field: old → new" with readable labels, statuses by
their names. Apps above incidents add the words for their own kinds
(``extensions.register_timeline_describers``); a kind nobody describes shows its payload with
readable keys and values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from common.text import join_list
from incidents import extensions
from incidents.models import MailDelivery
from incidents.models import enums as e
from incidents.models.relations import INVERSE_LABELS, RelationKind

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
    "via": e.InfectionVia,
    "matched": e.IndicatorKind,
    "tlp": e.Tlp,
    "previous_tlp": e.Tlp,
    "state": e.Suspicion,
    "problem": e.IntakeProblem,
    "asset_kind": e.AssetKind,
    "action": e.CustodyAction,
}
# Payload keys whose values are the names of the conditions that complete a task by the record.
CONDITIONS: dict[str, Any] = {
    "infected_isolated": gettext_lazy("every infected PC isolated"),
    "deliveries_deleted": gettext_lazy("the email deleted from every mailbox"),
    "network_indicators_blocked": gettext_lazy("the URLs and addresses blocked"),
    "all_staff_alerted": gettext_lazy("every member of staff alerted"),
}
# Any other code a payload carries, by the first of these choices that knows it.
FALLBACK_CHOICES = (
    e.Suspicion, e.InfectionState, e.IncidentStatus, e.TaskStatus, e.Category, e.Impact,
    e.ContainmentState, e.RemediationState, e.IsolationMethod, e.IndicatorKind, e.BlockPoint,
    e.Channel, e.WhatHappened, e.EvidenceKind, e.CustodyAction,
)  # fmt: skip
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
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
    "records": gettext_lazy("records"),
    "missing": gettext_lazy("missing"),
    "condition": gettext_lazy("condition"),
    "from": pgettext_lazy("timeline", "from"),
    "to": pgettext_lazy("timeline", "to"),
    "via": gettext_lazy("route"),
    "observed_at": gettext_lazy("observed at"),
    "occurred_at": gettext_lazy("occurred at"),
    "rules": gettext_lazy("rules"),
    "matched": gettext_lazy("matched by"),
    "source": gettext_lazy("intelligence source"),
    "mailboxes": gettext_lazy("mailboxes reached"),
    "c2": gettext_lazy("C2 server"),
    "blocked": gettext_lazy("blocked"),
    "asset": gettext_lazy("asset"),
    "tlp": gettext_lazy("TLP"),
    "previous_tlp": gettext_lazy("previous TLP"),
    "state": gettext_lazy("state"),
    "rationale": gettext_lazy("reason"),
    "reason": gettext_lazy("reason"),
    "recommended_level": gettext_lazy("recommended level"),
    "infected_confirmed_count": gettext_lazy("infected PCs (confirmed)"),
    "infected_effective_count": gettext_lazy("infected PCs (confirmed and suspected)"),
    "isolated_count": gettext_lazy("isolated PCs"),
    "external_comm_status": gettext_lazy("external communication"),
    "leak_status": gettext_lazy("leak"),
    "due_at": gettext_lazy("due"),
    "step": gettext_lazy("escalation step"),
    "problem": gettext_lazy("problem"),
    "detail": gettext_lazy("details"),
    "personal_data": gettext_lazy("personal data"),
    "asset_kind": gettext_lazy("asset kind"),
    "infection_via": gettext_lazy("route"),
    "holder": gettext_lazy("holder"),
    "location": gettext_lazy("location"),
    "sender": gettext_lazy("sender"),
    "subject": gettext_lazy("subject"),
    "executed": gettext_lazy("removal from the mailboxes done"),
    "new_message": gettext_lazy("another email of the campaign"),
    "size": gettext_lazy("size (bytes)"),
    "sha256": "SHA-256",
    "legacy_entries": gettext_lazy("entries before the key"),
    "legacy_head": gettext_lazy("last hash before the key"),
    "legacy_intact": gettext_lazy("those entries intact"),
    "note": gettext_lazy("note"),
    "times_received": gettext_lazy("times received"),
    "action": gettext_lazy("what was done"),
}
# Snapshot keys whose values are codes of these choices (apps above add theirs by registry).
SNAPSHOT_CHOICES: dict[str, type] = {
    "external_comm_status": e.Suspicion,
    "leak_status": e.Suspicion,
}
ID_KEYS = frozenset(
    {"task", "event", "decision", "report", "asset", "affected", "indicator",
     "evidence", "delivery", "message", "time_to_triage_s", "reports", "params_version",
     "relation", "obligation", "communication", "invitation", "alert",
     "c2_indicator", "assignee", "rank"}
)  # fmt: skip


def _label(choices: type | None, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return join_list(_label(choices, item) for item in value)
    if choices is not None and value in choices.values:  # type: ignore[attr-defined]
        return str(choices(value).label)  # type: ignore[operator]
    if isinstance(value, str) and value in CONDITIONS:
        return str(CONDITIONS[value])
    if isinstance(value, str) and ISO_DATETIME.match(value):
        return moment(value)
    if isinstance(value, str) and re.fullmatch(r"[A-Z][A-Z0-9_]+", value):
        for fallback in FALLBACK_CHOICES:
            if value in fallback.values:
                return str(fallback(value).label)
    text = str(value)
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def moment(value: str) -> str:
    """An ISO timestamp of a payload as the pages show time: YYYY/MM/DD HH:mm, local."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


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


def _asset_infection(payload: dict[str, Any]) -> list[str]:
    lines = [str(payload["asset"])] if payload.get("asset") else []
    values = {
        "field": KEY_LABELS["infection_state"],
        "old": _label(e.InfectionState, payload.get("from")),
        "new": _label(e.InfectionState, payload.get("to")),
    }
    lines.append(_("%(field)s: %(old)s → %(new)s") % values)
    for key in ("via", "observed_at"):
        if payload.get(key):
            values = {"key": KEY_LABELS[key], "value": _label(VALUE_CHOICES.get(key), payload[key])}
            lines.append(_("%(key)s: %(value)s") % values)
    return lines


def _level(payload: dict[str, Any]) -> list[str]:
    values = {
        "field": KEY_LABELS["level"],
        "old": _label(None, payload.get("from")),
        "new": _label(None, payload.get("to")),
    }
    lines = [_("%(field)s: %(old)s → %(new)s") % values]
    if payload.get("rules"):
        lines.append(
            _("%(key)s: %(value)s")
            % {"key": KEY_LABELS["rules"], "value": _label(None, payload["rules"])}
        )
    return lines


def _promoted(payload: dict[str, Any]) -> list[str]:
    seconds = int(payload.get("time_to_triage_s") or 0)
    values = {"n": payload.get("reports", 0), "minutes": seconds // 60}
    return [_("%(n)s reports accepted; %(minutes)s min from the first report to triage") % values]


def _related(payload: dict[str, Any]) -> list[str]:
    relation = payload.get("kind")
    other = payload.get("to") or payload.get("from") or "—"
    if relation in RelationKind.values and payload.get("from") and not payload.get("to"):
        name = str(INVERSE_LABELS[RelationKind(relation)])  # the link as the other side reads it
    else:
        name = _label(RelationKind, relation)
    lines = [_("%(relation)s %(other)s") % {"relation": name, "other": other}]
    return lines + ([str(payload["note"])] if payload.get("note") else [])


def delivery_fields(changes: list[str]) -> list[str]:
    """The names of the mail-delivery fields an update changed."""
    names = []
    for name in changes:
        try:
            names.append(str(MailDelivery._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            names.append(str(name).replace("_", " "))
    return names


def _delivery_updated(payload: dict[str, Any]) -> list[str]:
    names = delivery_fields(payload.get("changes") or [])
    return [_("Changed: %(parts)s") % {"parts": join_list(names) or "—"}]


def _names(payload: dict[str, Any], ids: list[Any]) -> dict[Any, str]:
    if "names" in payload:  # written with the entry since issue 19
        return {int(pk): name for pk, name in payload["names"].items()}
    from accounts.models import User  # older entries: the names the ids stand for, read now

    return {u.pk: str(u) for u in User.objects.filter(pk__in=[i for i in ids if i])}


def _assigned(payload: dict[str, Any]) -> list[str]:
    names = _names(payload, [payload.get("csirt_lead"), *(payload.get("handlers") or [])])
    lines = []
    if "csirt_lead" in payload:
        lead = names.get(payload["csirt_lead"], "—")
        lines.append(_("%(key)s: %(value)s") % {"key": FIELDS["csirt_lead"][0], "value": lead})
    if payload.get("handlers") is not None:
        people = join_list(names.get(i, "—") for i in payload["handlers"]) or "—"
        lines.append(_("%(key)s: %(value)s") % {"key": _("handlers"), "value": people})
    return lines


def key_label(key: str) -> str:
    """A payload key in words: ours, then those other apps registered, then the key spaced."""
    label = KEY_LABELS.get(key) or FIELDS.get(key, (None, None))[0]
    return str(label or extensions.timeline_keys()[0].get(key) or key.replace("_", " "))


def snapshot_rows(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """The facts a decision was taken on, as (label, value) rows for a small table."""
    snapshot = payload.get("snapshot")
    if not isinstance(snapshot, dict):
        return []
    choices = {**SNAPSHOT_CHOICES, **extensions.timeline_keys()[1]}
    return [(key_label(key), _label(choices.get(key), value)) for key, value in snapshot.items()]


DESCRIBERS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "incident.updated": _updated,
    "incident.status_changed": _status,
    "task.finished": _task_finished,
    "asset.updated": _asset_updated,
    "asset.infection": _asset_infection,
    "level.recommended": _level,
    "level.changed": _level,
    "event.promoted": _promoted,
    "incident.related": _related,
    "incident.unrelated": _related,
    "mail.delivery_updated": _delivery_updated,
    "incident.assigned": _assigned,
}


def _generic(payload: dict[str, Any]) -> list[str]:
    lines = []
    for key, value in payload.items():
        if isinstance(value, dict) or key in ID_KEYS:
            continue  # snapshots, nested records and row ids: the API and the record have them
        name = key_label(key)
        choices = VALUE_CHOICES.get(key) or extensions.timeline_keys()[1].get(key)
        value_text = _label(choices, value)
        lines.append(_("%(key)s: %(value)s") % {"key": name, "value": value_text})
    return lines


def describe(kind: str, payload: dict[str, Any]) -> list[str]:
    """The lines an entry reads as, in the current language."""
    describer = DESCRIBERS.get(kind) or extensions.timeline_describers().get(kind)
    return describer(payload or {}) if describer else _generic(payload or {})
