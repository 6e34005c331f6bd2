"""The bell in the header: how many alerts wait for the user's acknowledgement."""

from __future__ import annotations

from typing import Any

from django import template

from notifications import access, selectors

register = template.Library()


@register.inclusion_tag("notifications/partials/bell.html", takes_context=True)
def notifications_bell(context: template.Context) -> dict[str, Any]:
    user = context["user"]
    count = selectors.bell_count(user) if access.is_person(user) else 0
    return {"show": access.is_person(user), "count": count}
