"""The incident page's sharing card (a self-contained include)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("sharing/partials/incident_sharing.html", takes_context=True)
def incident_sharing(context: Any, incident: Any) -> dict[str, Any]:
    from comms import access
    from incidents import access as incident_access
    from incidents.models.enums import Tlp
    from sharing.extraction import defang
    from sharing.forms import StixExportForm, SuggestionAcceptForm
    from sharing.suggestions import pending_of
    from sharing.tlp import CEILING, Recipient

    user = context["request"].user
    return {
        "incident": incident,
        "can_export": access.can_write(user),
        "form": StixExportForm(auto_id="sharing_%s"),
        "can_edit": incident_access.can_edit_incidents(user),
        "suggestions": [(s, defang(s.value)) for s in pending_of(incident)],
        "accept_form": SuggestionAcceptForm(auto_id=False),
        "ceilings": [
            (Recipient(r).label, CEILING[r], Tlp(CEILING[r]).label) for r in Recipient.values
        ],
    }
