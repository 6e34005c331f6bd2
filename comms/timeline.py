"""Labels and words of the timeline entries comms writes, registered with incidents at start-up."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from comms.enums import Audience, GuestRole, Status
from risklevels.forms import KIND_CHOICES

FINDINGS = dict(KIND_CHOICES)

LABELS = {
    "communication.drafted": gettext_lazy("Communication drafted"),
    "communication.edited": gettext_lazy("Communication edited"),
    "communication.status_changed": gettext_lazy("Communication status changed"),
    "guest.invited": gettext_lazy("Outside responder invited"),
    "guest.accepted": gettext_lazy("Outside responder signed in for the first time"),
    "guest.revoked": gettext_lazy("Outside responder's access revoked"),
    "guest.viewed": gettext_lazy("Outside responder viewed the incident"),
    "guest.downloaded": gettext_lazy("Outside responder downloaded evidence"),
    "guest.commented": gettext_lazy("Comment from an outside responder"),
    "guest.fact_added": gettext_lazy("Finding from an outside responder"),
}
PARTS = {
    "audience": pgettext_lazy("comms", "audience"),
    "audience_detail": gettext_lazy("which ones"),
    "channel": pgettext_lazy("comms", "channel"),
    "tlp": gettext_lazy("TLP"),
    "subject": pgettext_lazy("comms", "subject"),
    "body": gettext_lazy("body"),
}


def _choice(choices: Any, value: Any) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


def _head(payload: dict[str, Any]) -> str:
    values = {
        "subject": payload.get("subject", ""),
        "audience": _choice(Audience, payload.get("audience")),
        "version": payload.get("version", 1),
    }
    return _("%(subject)s (to %(audience)s, version %(version)s)") % values


def _drafted(payload: dict[str, Any]) -> list[str]:
    return [_head(payload)]


def _edited(payload: dict[str, Any]) -> list[str]:
    parts = "、".join(str(PARTS.get(n, n)) for n in payload.get("changed", []))
    lines = [_head(payload), _("Changed: %(parts)s") % {"parts": parts}]
    if payload.get("reapproval"):
        lines.append(_("Back to draft: it needs approval again."))
    return lines


def _status_changed(payload: dict[str, Any]) -> list[str]:
    values = {
        "old": _choice(Status, payload.get("from")),
        "new": _choice(Status, payload.get("to")),
    }
    lines = [_head(payload), _("%(old)s → %(new)s") % values]
    if payload.get("reference"):
        lines.append(_("Reference: %(reference)s") % {"reference": payload["reference"]})
    if payload.get("reason"):
        lines.append(_("Reason: %(reason)s") % {"reason": payload["reason"]})
    return lines


def _guest(payload: dict[str, Any]) -> list[str]:
    values = {
        "email": payload.get("email", ""),
        "role": _choice(GuestRole, payload.get("role")),
        "tlp": "TLP:" + str(payload.get("tlp_ceiling", "")).replace("_", "+"),
    }
    lines = [_("%(email)s (%(role)s, up to %(tlp)s)") % values]
    if payload.get("text"):
        lines.append(str(payload["text"]))
    if payload.get("fact") in FINDINGS:
        lines.append(str(FINDINGS[payload["fact"]]))
    if payload.get("evidence"):
        lines.append(
            _("Evidence #%(n)s (SHA-256 %(sha)s)")
            % {"n": payload["evidence"], "sha": payload.get("sha256", "")}
        )
    return lines


DESCRIBERS = {
    "communication.drafted": _drafted,
    "communication.edited": _edited,
    "communication.status_changed": _status_changed,
    "guest.invited": _guest,
    "guest.accepted": _guest,
    "guest.revoked": _guest,
    "guest.viewed": _guest,
    "guest.downloaded": _guest,
    "guest.commented": _guest,
    "guest.fact_added": _guest,
}
