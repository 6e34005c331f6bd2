"""Template helpers of the readiness pages."""

from __future__ import annotations

from typing import Any

from django import template

from training import access

register = template.Library()


@register.inclusion_tag("training/partials/nav_links.html", takes_context=True)
def training_nav(context: template.Context) -> dict[str, Any]:
    user = context["user"]
    return {"can_read": access.can_read(user)}
