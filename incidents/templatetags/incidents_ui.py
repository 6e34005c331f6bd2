"""Template helpers of the incident pages: timeline entry names."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from incidents import extensions, timeline_sentences, timeline_text

register = template.Library()


TIMELINE_KINDS = {
    "incident.declared": _("Incident declared"),
    "incident.updated": _("Incident updated"),
    "incident.assigned": _("People assigned"),
    "incident.status_changed": _("Status changed"),
    "report.attached": _("Report attached"),
    "report.intake_problem": _("Not recorded from a report"),
    "report.details_added": _("Report details added"),
    "alert.repeated": _("Security-tool alert received again"),
    "event.promoted": _("Accepted from triage"),
    "event.attached": _("Triage item attached"),
    "intel.sighted": _("Named by threat intelligence"),
    "asset.added": _("Affected asset recorded"),
    "asset.updated": _("Affected asset updated"),
    "indicator.added": _("Indicator added"),
    "indicator.blocked": _("Indicator blocked"),
    "indicator.tlp_changed": _("Indicator TLP changed"),
    "task.created": _("Task created"),
    "task.finished": _("Task finished"),
    "task.done_from_record": _("Task done: from the record"),
    "task.record_warning": _("A done task no longer matches the record"),
    "task.record_warning_cleared": _("A done task matches the record again"),
    "evidence.collected": _("Evidence collected"),
    "evidence.custody": _("Chain of custody"),
    "mail.delivery_added": _("Mail delivery recorded"),
    "mail.delivery_updated": _("Mail delivery updated"),
    "mail.message_added": _("Another email of the campaign recorded"),
    "incident.related": _("Incidents linked"),
    "incident.unrelated": _("Incident link removed"),
    "timeline.keyed": _("Timeline keyed: later entries are signed with a key"),
}


@register.filter
def timeline_kind(kind: str) -> str:
    """A readable name for a timeline entry kind; unknown kinds (other apps) show as is."""
    label = TIMELINE_KINDS.get(kind) or extensions.timeline_labels().get(kind)
    return str(label or kind)


@register.filter
def actor_name(label: str) -> str:
    """Who wrote an entry; the entries the app writes itself say "system" in the record."""
    return gettext("system") if label == "system" else label


@register.filter
def timeline_lines(entry: Any) -> list[str]:
    """The entry in words: an edit as "field: old → new", statuses by name (timeline_text)."""
    return timeline_text.describe(entry.kind, entry.payload)


@register.filter
def timeline_sentence(entry: Any) -> str:
    """The entry as one or two sentences: who did what, when (timeline_sentences)."""
    return timeline_sentences.sentence(entry)


@register.filter
def timeline_snapshot(entry: Any) -> list[tuple[str, str]]:
    """The facts a decision was taken on, as rows of a small table (empty for other kinds)."""
    return timeline_text.snapshot_rows(entry.payload or {})


@register.filter
def timeline_json(entry: Any) -> str:
    """The entry's payload as the chain holds it, for the toggle under the words."""
    return json.dumps(entry.payload, ensure_ascii=False, indent=1, sort_keys=True)
