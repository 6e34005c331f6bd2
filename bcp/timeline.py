"""Labels and words of the timeline entries bcp writes, registered with incidents at start-up."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import DecisionType
from bcp.enums import BcpActionKind, BcpState, Outcome, Scope
from incidents.timeline_text import moment as when

LABELS = {
    "decision.opened": gettext_lazy("Decision opened"),
    "decision.decided": gettext_lazy("Decision taken"),
    "decision.ratified": gettext_lazy("Decision ratified"),
    "decision.reassigned": gettext_lazy("Decision reassigned (deadline passed)"),
    "decision.overdue": gettext_lazy("Decision overdue"),
    "decision.reopened": gettext_lazy("Deferred decision re-opened"),
    "decision.withdrawn": gettext_lazy("Decision withdrawn"),
    "decision.raised": gettext_lazy("Decision raised in place"),
    "bcp.state_changed": gettext_lazy("Cyber BCP state changed"),
    "bcp.action_executed": gettext_lazy("BCP action done"),
    "bcp.action_restored": gettext_lazy("BCP action restored"),
}
# Keys of bcp in payloads and decision snapshots.
KEY_LABELS = {
    "bcp_state": gettext_lazy("Cyber BCP"),
    "outcome": gettext_lazy("outcome"),
    "scope": gettext_lazy("scope"),
    "type": gettext_lazy("decision"),
}
KEY_CHOICES: dict[str, type] = {
    "bcp_state": BcpState,
    "outcome": Outcome,
    "scope": Scope,
    "type": DecisionType,
}


def _type(payload: dict[str, Any]) -> str:
    code = payload.get("type", "")
    return str(DecisionType(code).label) if code in DecisionType.values else code


def _choice(enum: Any, value: Any) -> str:
    return str(enum(value).label) if value in enum.values else str(value or "—")


def _opened(payload: dict[str, Any]) -> list[str]:
    line = _("Decision requested: %(type)s") % {"type": _type(payload)}
    lines = [line + (f"（{payload['rule']}）" if payload.get("rule") else "")]
    if payload.get("due_at"):
        lines.append(_("Due by %(at)s") % {"at": when(payload["due_at"])})
    return lines


def _decided(payload: dict[str, Any]) -> list[str]:
    outcome = _choice(Outcome, payload.get("outcome"))
    if payload.get("scope") not in (None, "", "NONE"):
        outcome += f"（{_choice(Scope, payload['scope'])}）"
    lines = [_("%(type)s: %(outcome)s") % {"type": _type(payload), "outcome": outcome}]
    if payload.get("rationale"):
        lines.append(_("Rationale: %(text)s") % {"text": payload["rationale"]})
    return lines


def _withdrawn(payload: dict[str, Any]) -> list[str]:
    return [
        _("%(type)s withdrawn") % {"type": _type(payload)},
        _("Reason: %(reason)s") % {"reason": payload.get("reason", "")},
    ]


def _of_type(payload: dict[str, Any]) -> list[str]:
    return [_type(payload)]


def _bcp_state(payload: dict[str, Any]) -> list[str]:
    values = {
        "old": _choice(BcpState, payload.get("from")),
        "new": _choice(BcpState, payload.get("to")),
    }
    return [_("Cyber BCP: %(old)s → %(new)s") % values]


def _bcp_action(payload: dict[str, Any]) -> list[str]:
    return [_choice(BcpActionKind, payload.get("kind"))]


DESCRIBERS = {
    "decision.opened": _opened,
    "decision.decided": _decided,
    "decision.withdrawn": _withdrawn,
    "decision.ratified": _of_type,
    "decision.reassigned": _of_type,
    "decision.overdue": _of_type,
    "decision.reopened": _of_type,
    "decision.raised": _of_type,
    "bcp.state_changed": _bcp_state,
    "bcp.action_executed": _bcp_action,
    "bcp.action_restored": _bcp_action,
}
