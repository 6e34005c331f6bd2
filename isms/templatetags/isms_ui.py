"""Template helpers of the ISMS pages: an action's due state, the incident page's review card."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

register = template.Library()


@register.filter
def overdue_on(action: Any, today: date) -> bool:
    return action.status == "OPEN" and action.due_on < today


@register.inclusion_tag("isms/partials/incident_review.html", takes_context=True)
def incident_review(context: template.Context, incident: Any) -> dict[str, Any]:
    """The review's state and the incident's corrective actions, for the incident page."""
    from django.db.models import Count, Q

    from isms.models import CorrectiveAction, PostIncidentReview

    review = PostIncidentReview.objects.filter(incident=incident).first()
    counts = CorrectiveAction.objects.filter(incident=incident).aggregate(
        OPEN=Count("pk", filter=Q(status="OPEN")), DONE=Count("pk", filter=Q(status="DONE"))
    )
    return {"incident": incident, "review": review, "counts": counts}
