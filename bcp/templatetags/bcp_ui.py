"""Template helpers of the decision and BCP pages: countdowns, plain-language facts, panels."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import DecisionType
from bcp import selectors
from bcp.enums import BcpState
from bcp.forms import DecisionOpenForm
from bcp.services import decisions, manual
from common import clock
from incidents import access as incident_access

register = template.Library()

SUSPICION = {
    "NONE": gettext_lazy("none"),
    "SUSPECTED": gettext_lazy("suspected"),
    "CONFIRMED": gettext_lazy("confirmed"),
}


def _duration(minutes: str | int, hours: str | int) -> str:
    if hours:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
    return _("%(m)s min") % {"m": minutes}


def remaining_text(due_at: datetime, now: datetime) -> str:
    """'残り 12分' / '12 min left', or 'overdue by 3 min', rounded up to the minute."""
    seconds = (due_at - now).total_seconds()
    hours, minutes = divmod(math.ceil(abs(seconds) / 60), 60)
    amount = _duration(minutes, hours)
    if seconds >= 0:
        return _("%(time)s left") % {"time": amount}
    return _("overdue by %(time)s") % {"time": amount}


@register.simple_tag
def remaining(due_at: datetime | None, now: datetime | None = None) -> str:
    if due_at is None:
        return _("no deadline")
    return remaining_text(due_at, now or clock.now())


@register.inclusion_tag("bcp/partials/countdown.html")
def countdown(
    due_at: datetime | None, now: datetime | None = None, speed: float | str | None = None
) -> dict[str, Any]:
    """A server-rendered countdown that static/js/countdown.js keeps ticking (no inline script).

    The wording templates travel in data attributes, so the script needs no catalogue. An
    exercise's countdown (``speed`` given) carries its clock's reading and speed, so the
    script ticks it in exercise time (paused, scaled or stepped), not the wall's.
    """
    now = now or clock.now()
    on_object_clock = clock.reading()
    if speed in (None, "") and on_object_clock is not None:  # a page on an exercise object
        speed = on_object_clock.speed
    return {
        "exercise_now": now if speed not in (None, "") else None,
        "speed": speed,
        "due_at": due_at,
        "text": remaining(due_at, now),
        "past": due_at is not None and due_at < now,
        "fmt_left": _("%(time)s left") % {"time": "{t}"},
        "fmt_over": _("overdue by %(time)s") % {"time": "{t}"},
        "fmt_min": _duration("{m}", 0),
        "fmt_hour": _duration("{m}", "{h}"),
    }


@register.filter
def suspicion(value: str) -> str:
    """An external-communication or leak status in plain words."""
    return str(SUSPICION.get(value, value))


@register.filter
def bcp_state(value: str) -> str:
    return str(BcpState(value).label) if value in BcpState.values else value


@register.filter
def decision_types(scope: list[str] | frozenset[str] | None) -> str:
    """An authority scope in words; empty means every type (rule D-2)."""
    if not scope:
        return _("every decision type")
    labels = dict(DecisionType.choices)
    return ", ".join(str(labels.get(value, value)) for value in sorted(scope))


@register.inclusion_tag("bcp/partials/incident_decisions.html", takes_context=True)
def incident_decisions(context: template.Context, incident: Any) -> dict[str, Any]:
    """Every decision of the incident, and the form to open one by hand (issue 14)."""
    user = context["user"]
    types = manual.openable_types(user, incident.organisation)
    refused = context.get("refused")
    form = None
    if types and refused is not None and refused.key == "decision_open":
        form = refused.bind(DecisionOpenForm(refused.data, types=types, auto_id="open_%s"))
    return {
        "incident": incident,
        "decisions": selectors.decisions_of_incident(incident),
        "form": form or (DecisionOpenForm(types=types, auto_id="open_%s") if types else None),
        "csrf_token": context.get("csrf_token"),
        "now": clock.now(),
    }


@register.inclusion_tag("bcp/partials/incident_bcp_panel.html", takes_context=True)
def incident_bcp(context: template.Context, incident: Any) -> dict[str, Any]:
    """The incident's cyber-BCP state, its actions with done / restored buttons, and the open
    BCP decisions (for the incident page)."""
    activation = selectors.bcp_activation_of(incident)
    return {
        "incident": incident,
        "activation": activation,
        "actions": selectors.bcp_actions_of(activation),
        "decisions": selectors.decisions_of_incident(incident).filter(
            type__in=("ACTIVATE_CYBER_BCP", "CUT_ALL_EXTERNAL_NETWORK", "BCP_STAND_DOWN")
        ),
        "can_record": incident_access.can_edit_incidents(context["user"]),
        "stand_down": (
            decisions.stand_down_failures(incident)
            if activation.state in (BcpState.ACTIVATED_PARTIAL, BcpState.ACTIVATED_FULL)
            else None
        ),
        "csrf_token": context.get("csrf_token"),
        "now": clock.now(),
    }
