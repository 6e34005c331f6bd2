from __future__ import annotations

from typing import Any

from django import template

from incidents import timeline_text

register = template.Library()


@register.filter
def snapshot_rows(snapshot: dict[str, Any] | None) -> list[tuple[str, str]]:
    """A decision's facts when it was taken, as (label, value) rows (the timeline's words)."""
    return timeline_text.snapshot_rows({"snapshot": snapshot or {}})
