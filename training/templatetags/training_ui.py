"""Template helpers of the readiness pages."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.roles import DecisionType
from bcp.enums import Outcome
from privacy.enums import ObligationKind, ObligationStatus
from training.enums import DeliveryMode, Population, Topic
from training.selectors.readiness import person_readiness
from training.services import drills, people_plan

register = template.Library()

# The first (Japanese) header each import accepts for a column, by its canonical name.
CSV_COLUMN_LABELS = {
    name: aliases[0]
    for columns in (
        people_plan.REQUIRED_COLUMNS,
        people_plan.OPTIONAL_COLUMNS,
        drills.KEY_COLUMNS,
        drills.EVENT_COLUMNS,
    )
    for name, aliases in columns.items()
}


@register.filter
def csv_column(name: str) -> str:
    """A CSV column as the reader's language names it: the Japanese header in Japanese
    (部署 for ``department``), the canonical name otherwise."""
    if not name or not (translation.get_language() or "ja").startswith("ja"):
        return name
    return CSV_COLUMN_LABELS.get(name, name)


@register.filter
def population_label(code: str) -> str:
    return str(dict(Population.choices).get(code, code))


@register.filter
def population_labels(codes: list[str]) -> str:
    return ", ".join(population_label(code) for code in codes or []) or "—"


@register.filter
def decision_type_label(code: str) -> str:
    """A scenario's expected decision (ESTABLISH_IRT) by its name in the reader's language."""
    return str(dict(DecisionType.choices).get(code, code))


@register.filter
def outcome_label(code: str) -> str:
    return str(dict(Outcome.choices).get(code, code))


@register.filter
def topic_labels(codes: list[str]) -> list[str]:
    return [str(dict(Topic.choices).get(code, code)) for code in codes or []]


@register.inclusion_tag("training/partials/readiness.html")
def readiness_panel(who: Any, organisation_id: int | None = None, on: Any = None) -> dict[str, Any]:
    """The readiness of a mail recipient (an account or an email address) on the incident
    page: ``{% readiness_panel who incident.organisation_id opened_at %}``."""
    return {"readiness": person_readiness(who, organisation_id=organisation_id, on=on)}


@register.filter
def offset_from(at: datetime | None, start: datetime) -> str:
    """+H:MM from the exercise start, the way scenarios write times."""
    if at is None:
        return "—"
    minutes = int((at - start).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60}:{abs(minutes) % 60:02d}"


@register.filter
def exercise_time(at: datetime | None, start: datetime) -> str:
    """Local clock time of an exercise moment and its offset from the start: 10:05（+1:05）;
    a moment on another day than the start carries its date: 12/7 09:00（+24:00）."""
    if at is None:
        return "—"
    local = timezone.localtime(at)
    shown = f"{local:%H:%M}"
    if local.date() != timezone.localtime(start).date():
        shown = f"{local.month}/{local.day} {shown}"
    return f"{shown}{_('(')}{offset_from(at, start)}{_(')')}"


@register.filter
def obligation_kind_label(code: str) -> str:
    return str(dict(ObligationKind.choices).get(code, code))


@register.filter
def obligation_status_label(code: str) -> str:
    return str(dict(ObligationStatus.choices).get(code, code))


@register.filter
def minutes(delta: timedelta | None) -> str:
    if delta is None:
        return "—"
    return f"{delta.total_seconds() / 60:.0f}"


CHANGE_FIELDS = {
    "mode": pgettext_lazy("csirt function", "Delivered"),
    "provider": _("Outsourced to"),
    "step": _("STEP"),
    "note": _("Note"),
    "csirt_step": _("Current STEP"),
}


@register.filter
def change_field(name: str) -> str:
    return str(CHANGE_FIELDS.get(name, name))


@register.filter
def change_value(value: str) -> str:
    return str(dict(DeliveryMode.choices).get(value, value)) if value else "—"
