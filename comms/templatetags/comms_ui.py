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


@register.inclusion_tag("comms/partials/contacts_card.html")
def external_contacts_card(organisation: Any) -> dict[str, Any]:
    """The outside parties to call, beside the BCP call tree (read-only; edited in comms)."""
    from comms.models import ExternalContact

    rows = list(
        ExternalContact.objects.filter(organisation=organisation).order_by("position", "id")
    )
    return {"contacts": rows, "can_keep": False}
