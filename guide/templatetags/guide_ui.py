"""``{% help_panel %}``: the short help of the page being shown (base.html renders it)."""

from __future__ import annotations

import html

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from guide.pages import PageHelp, help_for

register = template.Library()

# The panel's HTML per page, language and script prefix: fixed texts (issue 20: an inclusion
# template on every page for what never changes between two requests of the same page).
_HTML: dict[tuple[object, ...], str] = {}


@register.simple_tag(takes_context=True)
def help_panel(context: template.Context) -> SafeString:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    view_name = getattr(match, "view_name", None)
    key = (view_name, get_language(), get_script_prefix(), get_urlconf())
    found = _HTML.get(key)
    if found is None:
        found = _HTML[key] = render(help_for(view_name))
    return mark_safe(found)  # noqa: S308 (escaped in render)


def render(page: PageHelp | None) -> str:
    """What ``guide/help_panel.html`` wrote (with its final newline)."""
    if not page:
        return "\n"
    e = html.escape
    steps = "".join(f"<li>{e(str(step))}</li>" for step in page.next_steps)
    return (
        '<details class="help-panel">\n'
        f"  <summary>{e(gettext('About this page'))}</summary>\n"
        f"  <p>{e(str(page.purpose))}</p>\n"
        f'  <p class="help-next">{e(gettext("What to do next:"))}</p>\n'
        f"  <ul>{steps}</ul>\n"
        f'  <p><a href="{e(reverse("help:page", args=[page.guide]))}">'
        f"{e(gettext('Read the guide'))}</a> · "
        f'<a href="{e(reverse("help:index"))}">{e(gettext("All guides"))}</a></p>\n'
        "</details>\n"
    )
