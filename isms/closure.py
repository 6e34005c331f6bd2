"""What closing an incident needs from the ISMS side, and what closing does to it.

Registered with incidents at start-up (IsmsConfig.ready): the review and corrective-action facts
for C-1 and M-1, the pages that fix them, and M-1's mark for the management review at close.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from incidents.models import Incident
from incidents.models.enums import IncidentStatus
from isms.models import CorrectiveAction, PostIncidentReview


def fact_parts(incident_id: int) -> dict[str, Any]:
    """C-1's review and M-1's corrective action, read with the guards' other facts (one
    statement: ``incidents.extensions.register_fact_parts``)."""
    return {
        "review": PostIncidentReview.objects.filter(incident_id=incident_id).order_by("pk")[:1],
        "action": CorrectiveAction.objects.filter(incident_id=incident_id)
        .counting()
        .order_by()
        .values("pk")[:1],
    }


def read_facts(rows: dict[str, Any]) -> dict[str, Any]:
    review = rows["review"][0] if rows["review"] else None
    return {
        "review_complete": review is not None and review.complete,
        "corrective_action_or_reason": bool(rows["action"])
        or (review is not None and bool(review.no_action_reason.strip())),
    }


def on_status_changed(*, incident: Incident, actor: Any, previous: str, facts: Any) -> None:
    """M-1: a closed incident that reached level 2 (or had legal obligations) is input to the
    management review (ISO/IEC 27001 cl. 9.3)."""
    if incident.status != IncidentStatus.CLOSED or not facts.management_review_required:
        return
    PostIncidentReview.objects.filter(incident=incident).update(management_review_input=True)


def _review(incident: Incident) -> str:
    return reverse("isms:review", args=[incident.ref])


GUARD_LINKS = {"C1-REVIEW": _review, "M1-CORRECTIVE-ACTION": _review}
