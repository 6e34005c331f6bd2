"""Labels and words of the timeline entries comms writes, registered with incidents at start-up."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from common.text import join_list
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
    parts = join_list(str(PARTS.get(n, n)) for n in payload.get("changed", []))
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


def _audience(payload: dict[str, Any]) -> str:
    return _choice(Audience, payload.get("audience")) or "—"


def _drafted_sentence(p: dict[str, Any], say: Any) -> str:
    text = _("%(who)s drafted “%(subject)s” for %(audience)s at %(at)s (version %(version)s).")
    return say(
        text, subject=p.get("subject", ""), audience=_audience(p), version=p.get("version", 1)
    )


def _edited_sentence(p: dict[str, Any], say: Any) -> str:
    parts = _(", ").join(str(PARTS.get(n, n)) for n in p.get("changed", [])) or "—"
    text = say(
        _("%(who)s edited “%(subject)s” at %(at)s: %(parts)s (version %(version)s)."),
        subject=p.get("subject", ""),
        parts=parts,
        version=p.get("version", 1),
    )
    return text + (
        " " + _("Back to draft: it needs approval again.") if p.get("reapproval") else ""
    )


def _status_sentence(p: dict[str, Any], say: Any) -> str:
    from incidents.timeline_sentences import reason

    text = say(
        _("%(who)s moved “%(subject)s” for %(audience)s from “%(old)s” to “%(new)s” at %(at)s."),
        subject=p.get("subject", ""),
        audience=_audience(p),
        old=_choice(Status, p.get("from")) or "—",
        new=_choice(Status, p.get("to")) or "—",
    )
    if p.get("reference"):
        text += " " + _("The reference: %(reference)s.") % {"reference": p["reference"]}
    return text + reason(p)


GUEST_SENTENCES = {
    "guest.invited": gettext_lazy(
        "%(who)s invited %(email)s as an outside responder at %(at)s (%(role)s, up to %(tlp)s)."
    ),
    "guest.accepted": gettext_lazy(
        "The outside responder %(email)s signed in for the first time at %(at)s."
    ),
    "guest.revoked": gettext_lazy(
        "%(who)s revoked the access of the outside responder %(email)s at %(at)s."
    ),
    "guest.viewed": gettext_lazy("The outside responder %(email)s viewed the incident at %(at)s."),
    "guest.downloaded": gettext_lazy(
        "The outside responder %(email)s downloaded evidence no. %(n)s at %(at)s."
    ),
    "guest.commented": gettext_lazy(
        "The outside responder %(email)s commented at %(at)s: “%(text)s”."
    ),
    "guest.fact_added": gettext_lazy(
        "The outside responder %(email)s reported a finding at %(at)s: %(fact)s."
    ),
}


def _guest_sentence(kind: str) -> Any:
    def sentence(p: dict[str, Any], say: Any) -> str:
        values = {
            "email": p.get("email", ""),
            "role": _choice(GuestRole, p.get("role")) or "—",
            "tlp": "TLP:" + str(p.get("tlp_ceiling", "")).replace("_", "+"),
            "n": p.get("evidence", "—"),
            "text": p.get("text", ""),
            "fact": str(FINDINGS.get(p.get("fact"), "—")),
        }
        return say(str(GUEST_SENTENCES[kind]), **values)

    return sentence


SENTENCES = {
    "communication.drafted": _drafted_sentence,
    "communication.edited": _edited_sentence,
    "communication.status_changed": _status_sentence,
    **{kind: _guest_sentence(kind) for kind in GUEST_SENTENCES},
}
