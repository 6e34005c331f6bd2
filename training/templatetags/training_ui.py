"""Template helpers of the readiness pages."""

from __future__ import annotations

from typing import Any

from django import template

from training import access
from training.enums import Population, Topic

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
