"""The bell in the header: how many alerts wait for the user's acknowledgement."""

from __future__ import annotations

import html

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from notifications import access, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_bell(context: template.Context) -> SafeString:
    """What ``notifications/partials/bell.html`` wrote (with its final newline), in Python: the
    count is the user's and live (read with the signed-in user), the rest a few words."""
    user = context["user"]
    if not access.is_person(user):
        return mark_safe("\n")
    count = selectors.bell_count(user)
    label = ngettext(
        "Alerts: %(counter)s waiting for acknowledgement",
        "Alerts: %(counter)s waiting for acknowledgement",
        count,
    ) % {"counter": count}
    badge = f' <span class="badge">{count}</span>' if count else ""
    return mark_safe(  # noqa: S308 (every text escaped)
        f'<a href="{html.escape(reverse("notifications:list"))}"'
        f' class="bell{" bell-due" if count else ""}" aria-label="{html.escape(label)}">'
        f"{html.escape(gettext('Alerts'))}{badge}</a>\n"
    )
