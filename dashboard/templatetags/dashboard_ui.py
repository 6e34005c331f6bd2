"""Template helpers of the dashboard: the incident room's live panel, durations, navigation."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from common import clock
from dashboard import navigation
from dashboard.selectors import room, tiles

register = template.Library()


@register.simple_tag
def incident_room_data(incident: Any) -> room.Room:
    """The room's live figures, read once for the page's two live parts
    (``{% incident_room_data incident as room %}``): the summary column's status
    (``dashboard/partials/room.html``) and the situation section
    (``dashboard/partials/room_situation_section.html``). The page polls them
    (``dashboard:incident_live``)."""
    return room.incident_room(incident=incident, now=clock.now())


@register.inclusion_tag("dashboard/partials/room.html")
def incident_room(incident: Any) -> dict[str, Any]:
    """The live status panel alone."""
    return {"room": room.incident_room(incident=incident, now=clock.now())}


# The trend's chart and 200-row table were a fifth of the room's rendering (a date formatted
# per row, the SVG's points): their markup is a function of the points, the language and the
# time zone, so it is kept per process under those; bounded, cleared when full.
TREND_KEPT = 64
_trends: dict[tuple[Any, ...], SafeString] = {}


@register.simple_tag
def room_trend(room_data: room.Room) -> SafeString:
    """The situation section's chart and its table (``dashboard/partials/room_trend.html``)."""
    key = (get_language(), timezone.get_current_timezone_name(), room_data.trend_key)
    markup = _trends.get(key)
    if markup is None:
        markup = render_to_string("dashboard/partials/room_trend.html", {"room": room_data})
        if len(_trends) >= TREND_KEPT:
            _trends.clear()
        _trends[key] = markup
    return markup


# The timeline section changes only when an entry is appended (the entries are append-only), so
# its HTML is kept per chain head (the room's version), page, language and time zone.
TIMELINE_CACHE_SECONDS = 300


@register.simple_tag
def incident_timeline(incident: Any, cursor: str | None = "", version: str = "") -> str:
    """The incident page's timeline section: 50 entries a page, newest first; its page links
    (``?tl=<cursor>#timeline``) come back to the section. With the room's ``version`` (the
    chain head) the section is rendered once per head and page (issue 20: no query, no
    rendering of 50 entries, while nothing was appended)."""
    cursor = cursor or ""
    key = ""
    if version:
        digest = hashlib.sha256(
            "|".join(
                (version, cursor, get_language() or "", timezone.get_current_timezone_name())
            ).encode()
        ).hexdigest()[:32]
        key = f"dashboard:timeline:{incident.pk}:{digest}"
        cached = cache.get(key)
        if cached is not None:
            return mark_safe(cached)  # noqa: S308 (rendered by the template below)
    html = render_to_string(
        "dashboard/partials/timeline.html",
        {"incident": incident, "timeline": room.timeline_page(incident, cursor)},
    )
    if key:
        cache.set(key, str(html), TIMELINE_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308


@register.simple_tag(takes_context=True)
def site_menu(context: template.Context) -> str:
    """The header's menu: the groups of destinations the user's roles use (its HTML kept per
    role set, section and language: ``navigation.menu_html``)."""
    request = context.get("request")
    path = request.path if request is not None else ""
    return navigation.menu_html(context["user"], path)


@register.filter
def duration(value: timedelta | None) -> str:
    """A duration for people: '45 min', '3 h 20 min', '2 d 5 h'; '—' when unknown."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    if minutes < 1:
        return _("under a minute")
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(d)s d %(h)s h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
    return _("%(m)s min") % {"m": minutes}


@register.filter
def stands_in(decision: Any) -> str:
    """'deputy' or 'delegate' when the assignee is not the role's primary holder."""
    return tiles.stands_in(decision)


# timeline_verify's checks (incidents.services.timeline.Check), in the reader's language.
CHAIN_REASONS = {
    "sequence_gap": gettext_lazy("an entry is missing"),
    "link_mismatch": gettext_lazy("it does not link to the entry before it"),
    "hash_mismatch": gettext_lazy("its content was changed after it was written"),
    "hmac_mismatch": gettext_lazy(
        "its content was changed after it was written (the keyed signature does not match)"
    ),
    "unknown_key": gettext_lazy("it is signed with a key this installation does not hold"),
    "unkeyed_entry": gettext_lazy("it has no keyed signature although the timeline is keyed"),
    "anchor_mismatch": gettext_lazy("it differs from the entry anchored in the last checkpoint"),
    "tail_missing": gettext_lazy("entries anchored in the last checkpoint are missing"),
}


@register.filter
def chain_reason(status: Any) -> str:
    return str(CHAIN_REASONS.get(status.check, status.reason))


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key, 0)


# The context names under which a page shows an object that may belong to an exercise.
_ON_AN_INCIDENT = ("decision", "obligation", "communication", "alert", "activation", "action")


@register.simple_tag(takes_context=True)
def exercise_shown(context: Any) -> bool:
    """Issue 18: the page shows an exercise object (an exercise incident, or a decision,
    obligation, communication … of one, or an exercise itself): ``base.html`` then marks the
    whole page (banner and page colour) so nobody takes it for real operations."""
    if getattr(context.get("incident"), "is_exercise", False) is True:
        return True
    for name in _ON_AN_INCIDENT:
        shown = context.get(name)
        if getattr(shown, "incident_id", None) and shown.incident.is_exercise is True:
            return True
    exercise = context.get("exercise")
    return getattr(getattr(exercise, "_meta", None), "label", "") == "training.Exercise"


# The incident room draws up to 200 trend points as table rows and 60 markers per line: one
# call each instead of a template loop per row (issue 20: the room was mostly rendering).
@register.filter
def trend_table_rows(points: Any) -> str:
    """The rows of the trend's table (time, infected, confirmed, isolated)."""
    return format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                formats.date_format(timezone.localtime(p.at), "SHORT_DATETIME_FORMAT"),
                p.effective,
                p.confirmed,
                p.isolated,
            )
            for p in points
        ),
    )


@register.filter
def chart_markers(line: Any) -> str:
    """A line's markers in the trend chart (SVG ``use`` of the series' marker)."""
    return format_html_join(
        "",
        '<use class="marker" href="#m-{}" x="{}" y="{}"/>',
        ((line.css, x, y) for x, y in line.markers),
    )
