"""Template helpers of the privacy pages: category names, obligation states, the incident
page's personal-data card and the dashboard tile."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from common import clock

register = template.Library()

CATEGORIES = {
    1: _("1: sensitive personal data (要配慮個人情報)"),
    2: _("2: may cause financial damage"),
    3: _("3: may come from an unauthorised purpose (a cyber attack, theft)"),
    4: _("4: more than 1,000 people"),
}


@register.filter
def category_text(value: Any) -> str:
    return str(CATEGORIES.get(int(value), value))


@register.filter
def trigger_text(value: str) -> str:
    from privacy.timeline import trigger_text as text

    return text(value or "")


@register.filter
def obligation_state(obligation: Any, now: datetime | None = None) -> str:
    """open / soon (the soft due has passed) / overdue / done / waived."""
    now = now or clock.now()
    if obligation.status != "OPEN":
        return obligation.status.lower()
    if obligation.due_at and obligation.due_at < now:
        return "overdue"
    if obligation.soft_due_at and obligation.soft_due_at < now:
        return "soon"
    return "open"


@register.inclusion_tag("privacy/partials/incident_privacy.html", takes_context=True)
def incident_privacy(context: template.Context, incident: Any) -> dict[str, Any]:
    """The incident page's card: the screening, the clock and the obligations in short."""
    from django.db.models import Count, Q

    from privacy.models import AppiAssessment, Obligation

    assessment = AppiAssessment.objects.filter(incident=incident).first()
    counts = Obligation.objects.filter(incident=incident).aggregate(
        open=Count("pk", filter=Q(status="OPEN")),
        total=Count("pk"),
        overdue=Count("pk", filter=Q(status="OPEN", due_at__lt=clock.now())),
    )
    return {"incident": incident, "assessment": assessment, "counts": counts}
