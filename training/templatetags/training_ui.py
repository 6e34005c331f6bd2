"""Template helpers of the readiness pages."""

from __future__ import annotations

from typing import Any

from django import template

from training import access
from training.enums import Population, Topic
from training.selectors.readiness import person_readiness

register = template.Library()


@register.inclusion_tag("training/partials/nav_links.html", takes_context=True)
def training_nav(context: template.Context) -> dict[str, Any]:
    user = context["user"]
    return {"can_read": access.can_read(user)}


@register.filter
def population_label(code: str) -> str:
    return str(dict(Population.choices).get(code, code))


@register.filter
def population_labels(codes: list[str]) -> str:
    return ", ".join(population_label(code) for code in codes or []) or "—"


@register.filter
def topic_labels(codes: list[str]) -> list[str]:
    return [str(dict(Topic.choices).get(code, code)) for code in codes or []]


@register.inclusion_tag("training/partials/readiness.html")
def readiness_panel(who: Any, organisation_id: int | None = None, on: Any = None) -> dict[str, Any]:
    """The readiness of a mail recipient (an account or an email address) on the incident
    page: ``{% readiness_panel who incident.organisation_id opened_at %}``."""
    return {"readiness": person_readiness(who, organisation_id=organisation_id, on=on)}
