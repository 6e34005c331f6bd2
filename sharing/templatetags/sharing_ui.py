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


@register.inclusion_tag("sharing/partials/event_intel.html", takes_context=True)
def event_intel(context: Any, event: Any) -> dict[str, Any]:
    """A triage item opened by the retro-hunt: what the intelligence said, in the reader's
    language, and where the organisation's records hold it (incidents, reports, assets)."""
    from django.urls import reverse

    from incidents.models import Report
    from sharing import retrohunt, selectors

    rows = []
    for sighting in selectors.sightings_of_event(event):
        item = sighting.item
        places = sighting.places or {}
        reports = Report.objects.filter(
            organisation_id=event.organisation_id, pk__in=places.get("reports", [])
        ).order_by("id")
        rows.append(
            {
                "sighting": sighting,
                "item": item,
                "sentence": retrohunt.sentence(
                    source=item.source,
                    kind=item.kind,
                    value=item.value,
                    first_seen=sighting.first_seen,
                    mailboxes=sighting.mailboxes,
                ),
                "incidents": [
                    (ref, reverse("incidents:incident_detail", args=[ref]))
                    for ref in places.get("incidents", [])
                ],
                "reports": [
                    (r.number, reverse("incidents:report_detail", args=[r.pk])) for r in reports
                ],
                "assets": places.get("assets", []),
            }
        )
    return {"rows": rows}
