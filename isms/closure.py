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


def incident_facts(incident: Incident) -> dict[str, Any]:
    review = PostIncidentReview.objects.filter(incident=incident).first()
    has_action = CorrectiveAction.objects.filter(incident=incident).counting().exists()
    return {
        "review_complete": review is not None and review.complete,
        "corrective_action_or_reason": has_action
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
