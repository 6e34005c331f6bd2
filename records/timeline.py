"""Labels and words of the timeline entries records writes, registered with incidents."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.models.enums import Tlp

LABELS = {"report.downloaded": gettext_lazy("Incident report downloaded (PDF)")}


def _downloaded(payload: dict[str, Any]) -> list[str]:
    tlp = payload.get("tlp")
    languages = dict(settings.LANGUAGES)
    lines = [_("TLP ceiling: %(tlp)s") % {"tlp": Tlp(tlp).label if tlp in Tlp.values else "—"}]
    if payload.get("language") in languages:
        lines.append(_("Language: %(language)s") % {"language": languages[payload["language"]]})
    return lines


DESCRIBERS = {"report.downloaded": _downloaded}


def _downloaded_sentence(payload: dict[str, Any], say: Any) -> str:
    tlp = payload.get("tlp")
    languages = dict(settings.LANGUAGES)
    return say(
        _(
            "%(who)s downloaded the incident report as a PDF at %(at)s (up to %(tlp)s, in "
            "%(language)s)."
        ),
        tlp=Tlp(tlp).label if tlp in Tlp.values else "—",
        language=languages.get(payload.get("language"), "—"),
    )


SENTENCES = {"report.downloaded": _downloaded_sentence}
