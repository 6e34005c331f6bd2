"""The incident page's communications card (a self-contained include)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()
SHOWN = 5


@register.inclusion_tag("comms/partials/incident_comms.html")
def incident_comms(incident: Any) -> dict[str, Any]:
    from comms.models import Communication

    rows = list(
        Communication.objects.filter(incident=incident).order_by("-created_at", "-id")[:SHOWN]
    )
    return {"incident": incident, "rows": rows}
