"""The escalation panel of the incident page: level, recommendation and why, trend, history."""

from __future__ import annotations

from typing import Any

from django import forms, template

from incidents import access
from risklevels import selectors
from risklevels.forms import FindingForm, LowerLevelForm

register = template.Library()


def _form(refused: Any, key: str, form_class: type[forms.Form], auto_id: str) -> forms.Form:
    """The panel's form, bound again to what was typed when it was refused (``common.prg``)."""
    if refused is not None and refused.key == key:
        return refused.bind(form_class(refused.data, auto_id=auto_id))
    return form_class(auto_id=auto_id)


@register.inclusion_tag("risklevels/partials/escalation.html", takes_context=True)
def escalation_panel(
    context: template.Context, incident: Any, latest: list[Any] | None = None
) -> dict[str, Any]:
    """``latest``: the newest ``TREND_SHOWN`` points, newest first, when the page has read them
    (the incident room's trend: issue 20); read here otherwise."""
    user, refused = context["user"], context.get("refused")
    if latest is None:
        latest = list(selectors.trend_of(incident).reverse()[: selectors.TREND_SHOWN])
    return {
        "incident": incident,
        "summary": selectors.escalation_summary(incident),
        "trend": latest,
        "history": list(selectors.level_history(incident)),
        "can_edit": access.can_edit_incidents(user),
        "can_lower": access.can_transition(user) and incident.level > 1,
        "finding_form": _form(refused, "finding", FindingForm, "finding_%s"),
        "lower_form": _form(refused, "lower", LowerLevelForm, "lower_%s"),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
