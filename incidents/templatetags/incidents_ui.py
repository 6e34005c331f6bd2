"""Template helpers of the incident pages: the navigation links a user's roles allow."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from incidents import access, extensions

register = template.Library()


@register.inclusion_tag("incidents/partials/nav.html", takes_context=True)
def incidents_nav(context: template.Context) -> dict[str, Any]:
    user = context["user"]
    return {
        "can_report": getattr(user, "organisation_id", None) is not None,
        "can_file": access.can_edit_incidents(user) or access.can_triage(user),
        "can_triage": access.can_triage(user),
        "sees_incidents": access.sees_all_incidents(user) or access.can_edit_incidents(user),
        "can_manage_intake": access.can_manage_intake(user),
    }


TIMELINE_KINDS = {
    "incident.declared": _("Incident declared"),
    "incident.updated": _("Incident updated"),
    "incident.assigned": _("People assigned"),
    "incident.status_changed": _("Status changed"),
    "report.attached": _("Report attached"),
    "report.intake_problem": _("Not recorded from a report"),
    "report.details_added": _("Report details added"),
    "event.promoted": _("Accepted from triage"),
    "event.attached": _("Triage item attached"),
    "asset.added": _("Affected asset recorded"),
    "asset.updated": _("Affected asset updated"),
    "indicator.added": _("Indicator added"),
    "indicator.blocked": _("Indicator blocked"),
    "task.created": _("Task created"),
    "task.finished": _("Task finished"),
    "evidence.collected": _("Evidence collected"),
    "evidence.custody": _("Chain of custody"),
    "mail.delivery_added": _("Mail delivery recorded"),
    "mail.delivery_updated": _("Mail delivery updated"),
}


@register.filter
def timeline_kind(kind: str) -> str:
    """A readable name for a timeline entry kind; unknown kinds (other apps) show as is."""
    label = TIMELINE_KINDS.get(kind) or extensions.timeline_labels().get(kind)
    return str(label or kind)
