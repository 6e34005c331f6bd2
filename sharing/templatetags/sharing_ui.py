"""The incident page's sharing card (a self-contained include)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("sharing/partials/incident_sharing.html", takes_context=True)
def incident_sharing(context: Any, incident: Any) -> dict[str, Any]:
    from comms import access
    from incidents.models.enums import Tlp
    from sharing.forms import StixExportForm
    from sharing.tlp import CEILING, Recipient

    user = context["request"].user
    return {
        "incident": incident,
        "can_export": access.can_write(user),
        "form": StixExportForm(auto_id="sharing_%s"),
        "ceilings": [
            (Recipient(r).label, CEILING[r], Tlp(CEILING[r]).label) for r in Recipient.values
        ],
    }
