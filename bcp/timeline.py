"""Labels and words of the timeline entries bcp writes, registered with incidents at start-up."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import DecisionType
from bcp.enums import BcpActionKind, BcpState, Outcome, Scope
from incidents.timeline_sentences import details, reason
from incidents.timeline_text import _names
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


def _person(payload: dict[str, Any], pk: Any) -> str:
    return _names(payload, [pk]).get(pk, "") if pk else ""


def _opened_sentence(p: dict[str, Any], say: Any) -> str:
    deputy = _person(p, p.get("deputy"))
    parts = (
        _("rule %(rule)s") % {"rule": p["rule"]} if p.get("rule") else "",
        _("due %(due)s") % {"due": say.due(p["due_at"])} if p.get("due_at") else "",
        _("deputy %(name)s") % {"name": deputy} if deputy else "",
    )
    assignee = say.person(_person(p, p.get("assignee")))
    if not assignee:
        text = _(
            "%(who)s asked for the decision “%(type)s” at %(at)s%(details)s; nobody was "
            "available to take it."
        )
        return say(text, type=_type(p), details=details(*parts))
    text = _("%(who)s asked %(assignee)s to decide “%(type)s” at %(at)s%(details)s.")
    return say(text, type=_type(p), assignee=assignee, details=details(*parts))


DECIDED = {
    "APPROVED": gettext_lazy("%(who)s approved the decision “%(type)s” at %(at)s%(details)s."),
    "DECLINED": gettext_lazy("%(who)s declined the decision “%(type)s” at %(at)s%(details)s."),
    "DEFERRED": gettext_lazy("%(who)s deferred the decision “%(type)s” at %(at)s%(details)s."),
}


def _decided_sentence(p: dict[str, Any], say: Any) -> str:
    scope = p.get("scope")
    parts = (
        _("scope: %(scope)s") % {"scope": _choice(Scope, scope)}
        if scope not in (None, "", "NONE")
        else "",
        _("as deputy no. %(rank)s") % {"rank": p["rank"] - 1} if (p.get("rank") or 1) > 1 else "",
    )
    text = DECIDED.get(p.get("outcome", ""))
    if text is None:  # an outcome without a verb of its own: named after the verb
        text = gettext_lazy("%(who)s decided “%(type)s” at %(at)s%(details)s.")
        parts = (_choice(Outcome, p.get("outcome")), *parts)
    sentence = say(str(text), type=_type(p), details=details(*parts))
    if p.get("rationale"):
        sentence += " " + _("The rationale: %(text)s.") % {"text": p["rationale"]}
    return sentence


def _ratified_sentence(p: dict[str, Any], say: Any) -> str:
    return say(_("%(who)s ratified the decision “%(type)s” at %(at)s."), type=_type(p))


def _reassigned_sentence(p: dict[str, Any], say: Any) -> str:
    due = _("due %(due)s") % {"due": say.due(p["due_at"])} if p.get("due_at") else ""
    return say(
        _(
            "At %(at)s the deadline of the decision “%(type)s” passed, so it went from %(old)s "
            "to %(new)s%(details)s."
        ),
        type=_type(p),
        old=say.person(_person(p, p.get("from"))) or _("nobody"),
        new=say.person(_person(p, p.get("to"))) or _("nobody"),
        details=details(due),
    )


def _overdue_sentence(p: dict[str, Any], say: Any) -> str:
    assignee = say.person(_person(p, p.get("assignee")))
    if assignee:
        text = _("At %(at)s the decision “%(type)s” was overdue: %(assignee)s had not decided.")
    else:
        text = _("At %(at)s the decision “%(type)s” was overdue: nobody was available to take it.")
    return say(text, type=_type(p), assignee=assignee)


def _reopened_sentence(p: dict[str, Any], say: Any) -> str:
    due = _("due %(due)s") % {"due": say.due(p["due_at"])} if p.get("due_at") else ""
    return say(
        _("%(who)s re-opened the deferred decision “%(type)s” at %(at)s%(details)s."),
        type=_type(p),
        details=details(due),
    )


def _withdrawn_sentence(p: dict[str, Any], say: Any) -> str:
    text = say(_("%(who)s withdrew the decision “%(type)s” at %(at)s."), type=_type(p))
    return text + reason(p)


def _raised_sentence(p: dict[str, Any], say: Any) -> str:
    text = _(
        "%(who)s raised the target of the pending level decision to level %(level)s at %(at)s."
    )
    return say(text, level=p["target_level"])


def _bcp_state_sentence(p: dict[str, Any], say: Any) -> str:
    return say(
        _("At %(at)s the Cyber BCP went from “%(old)s” to “%(new)s”."),
        old=_choice(BcpState, p.get("from")),
        new=_choice(BcpState, p.get("to")),
    )


def _executed_sentence(p: dict[str, Any], say: Any) -> str:
    return say(
        _("%(who)s carried out the BCP action “%(action)s” at %(at)s."),
        action=_choice(BcpActionKind, p.get("kind")),
    )


def _restored_sentence(p: dict[str, Any], say: Any) -> str:
    return say(
        _("%(who)s restored what the BCP action “%(action)s” had stopped at %(at)s."),
        action=_choice(BcpActionKind, p.get("kind")),
    )


SENTENCES = {
    "decision.opened": _opened_sentence,
    "decision.decided": _decided_sentence,
    "decision.ratified": _ratified_sentence,
    "decision.reassigned": _reassigned_sentence,
    "decision.overdue": _overdue_sentence,
    "decision.reopened": _reopened_sentence,
    "decision.withdrawn": _withdrawn_sentence,
    "decision.raised": _raised_sentence,
    "bcp.state_changed": _bcp_state_sentence,
    "bcp.action_executed": _executed_sentence,
    "bcp.action_restored": _restored_sentence,
}
