"""``{% help_panel %}``: the short help of the page being shown (base.html renders it)."""

from __future__ import annotations

from typing import Any

from django import template

from guide.pages import help_for

register = template.Library()


@register.inclusion_tag("guide/help_panel.html", takes_context=True)
def help_panel(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return {"help": help_for(getattr(match, "view_name", None))}
