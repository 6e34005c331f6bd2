"""Template helpers of the incident pages: the navigation links a user's roles allow."""

from __future__ import annotations

from typing import Any

from django import template

from incidents import access

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
