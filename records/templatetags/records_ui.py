from __future__ import annotations

from typing import Any

from django import template

from incidents import timeline_text

register = template.Library()


@register.filter
def snapshot_lines(snapshot: dict[str, Any] | None) -> list[str]:
    """A decision's facts when it was taken, in words (the timeline's labels)."""
    return timeline_text.describe("decision.snapshot", snapshot or {})
