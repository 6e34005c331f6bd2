"""Labels and sentences of the timeline entries sharing writes, registered with incidents."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.models.enums import IndicatorKind
from sharing.extraction import defang

LABELS = {
    "indicator.suggested": gettext_lazy("Indicators suggested"),
    "indicator.suggestion_accepted": gettext_lazy("Suggested indicator accepted"),
    "indicator.suggestion_rejected": gettext_lazy("Suggested indicator rejected"),
}


def _kind(payload: dict[str, Any]) -> str:
    kind = payload.get("kind")
    return str(IndicatorKind(kind).label) if kind in IndicatorKind.values else "—"


def _suggested(payload: dict[str, Any], say: Any) -> str:
    return say(
        _("%(who)s read the reports for indicators at %(at)s: %(count)s suggested."),
        count=payload.get("suggested", 0),
    )


def _accepted(payload: dict[str, Any], say: Any) -> str:
    return say(
        _("%(who)s accepted the suggested %(kind)s %(value)s as an indicator at %(at)s."),
        kind=_kind(payload),
        value=defang(str(payload.get("value", ""))),
    )


def _rejected(payload: dict[str, Any], say: Any) -> str:
    return say(
        _(
            "%(who)s rejected the suggested %(kind)s %(value)s at %(at)s; it will not be"
            " suggested again."
        ),
        kind=_kind(payload),
        value=defang(str(payload.get("value", ""))),
    )


KEYS = {"suggested": gettext_lazy("suggested")}

SENTENCES = {
    "indicator.suggested": _suggested,
    "indicator.suggestion_accepted": _accepted,
    "indicator.suggestion_rejected": _rejected,
}
