"""Labels and words of the timeline entries isms writes, registered with incidents at start-up."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.text import join_list
from isms.enums import ActionStatus

LABELS = {
    "review.written": gettext_lazy("Post-incident review written"),
    "corrective_action.created": gettext_lazy("Corrective action recorded"),
    "corrective_action.updated": gettext_lazy("Corrective action changed"),
    "corrective_action.status_changed": gettext_lazy("Corrective action status changed"),
}
PARTS = {
    "root_cause": gettext_lazy("root cause"),
    "what_worked": gettext_lazy("what worked"),
    "what_did_not": gettext_lazy("what did not work"),
    "lessons": gettext_lazy("lessons"),
    "no_lessons": gettext_lazy("why there are no lessons"),
    "no_action_reason": gettext_lazy("why no corrective action is needed"),
    "controls_affected": gettext_lazy("Annex A controls affected"),
    "title": gettext_lazy("title"),
    "description": gettext_lazy("description"),
    "owner": gettext_lazy("owner"),
    "due_on": gettext_lazy("due date"),
    "controls": gettext_lazy("Annex A controls"),
    "risk_reference": gettext_lazy("risk register entry"),
    "risk_url": gettext_lazy("risk register link"),
}


def _parts(names: list[str]) -> str:
    return join_list(str(PARTS.get(name, name)) for name in names)


def _status(value: Any) -> str:
    return str(ActionStatus(value).label) if value in ActionStatus.values else str(value)


def _review(payload: dict[str, Any]) -> list[str]:
    return [_("Written: %(parts)s") % {"parts": _parts(payload.get("changed", []))}]


def _created(payload: dict[str, Any]) -> list[str]:
    controls = join_list(f"A.{c}" for c in payload.get("controls", []))
    due = str(payload.get("due_on") or "—").replace("-", "/")
    values = {"title": payload.get("title", ""), "due": due, "controls": controls}
    return [_("%(title)s (due %(due)s; %(controls)s)") % values]


def _updated(payload: dict[str, Any]) -> list[str]:
    values = {"title": payload.get("title", ""), "parts": _parts(payload.get("changed", []))}
    return [_("%(title)s: changed %(parts)s") % values]


def _status_changed(payload: dict[str, Any]) -> list[str]:
    values = {
        "title": payload.get("title", ""),
        "old": _status(payload.get("from")),
        "new": _status(payload.get("to")),
    }
    lines = [_("%(title)s: %(old)s → %(new)s") % values]
    if payload.get("reason"):
        lines.append(_("Reason: %(reason)s") % {"reason": payload["reason"]})
    return lines


DESCRIBERS = {
    "review.written": _review,
    "corrective_action.created": _created,
    "corrective_action.updated": _updated,
    "corrective_action.status_changed": _status_changed,
}


def _review_sentence(p: dict[str, Any], say: Any) -> str:
    text = say(
        _("%(who)s wrote the post-incident review at %(at)s: %(parts)s."),
        parts=_parts(p.get("changed", [])) or "—",
    )
    return text + (" " + _("The review is complete.") if p.get("complete") else "")


def _created_sentence(p: dict[str, Any], say: Any) -> str:
    from incidents.timeline_sentences import details

    controls = join_list(f"A.{c}" for c in p.get("controls", []))
    due = str(p.get("due_on") or "").replace("-", "/")
    return say(
        _("%(who)s recorded the corrective action “%(title)s” at %(at)s%(details)s."),
        title=p.get("title", ""),
        details=details(_("due %(due)s") % {"due": due} if due else "", controls),
    )


def _updated_sentence(p: dict[str, Any], say: Any) -> str:
    return say(
        _("%(who)s changed the corrective action “%(title)s” at %(at)s: %(parts)s."),
        title=p.get("title", ""),
        parts=_parts(p.get("changed", [])) or "—",
    )


def _status_sentence(p: dict[str, Any], say: Any) -> str:
    from incidents.timeline_sentences import reason

    text = _(
        "%(who)s moved the corrective action “%(title)s” from “%(old)s” to “%(new)s” at %(at)s."
    )
    values = {"old": _status(p.get("from")), "new": _status(p.get("to"))}
    return say(text, title=p.get("title", ""), **values) + reason(p)


SENTENCES = {
    "review.written": _review_sentence,
    "corrective_action.created": _created_sentence,
    "corrective_action.updated": _updated_sentence,
    "corrective_action.status_changed": _status_sentence,
}
