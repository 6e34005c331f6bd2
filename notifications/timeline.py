"""Labels and words of the timeline entries the alerts write, registered with incidents."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.enums import EVENT_LABELS, AckVia

LABELS = {
    "alert.acknowledged": gettext_lazy("Alert acknowledged"),
    "alert.unacknowledged": gettext_lazy("Alert not acknowledged"),
    "alert.escalated": gettext_lazy("Alert escalated"),
}


def _event(payload: dict[str, Any]) -> str:
    return str(EVENT_LABELS.get(payload.get("event", ""), _("an alert")))


def _acknowledged(payload: dict[str, Any]) -> list[str]:
    via = payload.get("via", "")
    values = {
        "event": _event(payload),
        "via": AckVia(via).label if via in AckVia.values else "—",
        "step": payload.get("step", 1),
    }
    return [_("%(event)s: acknowledged (%(via)s, at step %(step)s)") % values]


def _unacknowledged(payload: dict[str, Any]) -> list[str]:
    values = {"step": payload.get("step", 1)}
    return [_("Nobody acknowledged the alert by the end of step %(step)s.") % values]


def _escalated(payload: dict[str, Any]) -> list[str]:
    values = {"step": payload.get("step", 1), "name": payload.get("to_name") or "—"}
    return [_("Not acknowledged in time: sent on to %(name)s (step %(step)s).") % values]


DESCRIBERS = {
    "alert.acknowledged": _acknowledged,
    "alert.unacknowledged": _unacknowledged,
    "alert.escalated": _escalated,
}


def _acknowledged_sentence(p: dict[str, Any], say: Any) -> str:
    via = p.get("via", "")
    return say(
        _("At %(at)s the alert “%(event)s” was acknowledged (%(via)s, step %(step)s)."),
        event=_event(p),
        via=AckVia(via).label if via in AckVia.values else "—",
        step=p.get("step", 1),
    )


def _unacknowledged_sentence(p: dict[str, Any], say: Any) -> str:
    text = _("By %(at)s nobody had acknowledged the alert at step %(step)s.")
    return say(text, step=p.get("step", 1))


def _escalated_sentence(p: dict[str, Any], say: Any) -> str:
    return say(
        _(
            "At %(at)s the alert was not acknowledged in time and went on to %(name)s (step "
            "%(step)s)."
        ),
        name=p.get("to_name") or "—",
        step=p.get("step", 1),
    )


SENTENCES = {
    "alert.acknowledged": _acknowledged_sentence,
    "alert.unacknowledged": _unacknowledged_sentence,
    "alert.escalated": _escalated_sentence,
}
