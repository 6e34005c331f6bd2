"""The escalation panel of the incident page: level, recommendation and why, trend, history."""

from __future__ import annotations

from typing import Any

from django import template

from incidents import access
from risklevels import selectors
from risklevels.forms import FindingForm, LowerLevelForm

register = template.Library()


@register.inclusion_tag("risklevels/partials/escalation.html", takes_context=True)
def escalation_panel(context: template.Context, incident: Any) -> dict[str, Any]:
    user = context["user"]
    return {
        "incident": incident,
        "summary": selectors.escalation_summary(incident),
        "trend": list(selectors.trend_of(incident).reverse()[:20]),
        "history": list(selectors.level_history(incident)),
        "can_edit": access.can_edit_incidents(user),
        "can_lower": access.can_transition(user) and incident.level > 1,
        "finding_form": FindingForm(auto_id="finding_%s"),
        "lower_form": LowerLevelForm(auto_id="lower_%s"),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
