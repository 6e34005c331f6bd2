"""The post-incident review (A.5.27): written, and rewritten, until the incident closes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.errors import Conflict, InvalidInput
from incidents import access as incident_access
from incidents.models import Incident
from incidents.models.enums import IncidentStatus
from incidents.services.timeline import timeline_append
from isms import access
from isms.models import AnnexAControl, PostIncidentReview

TEXT_FIELDS = ("root_cause", "what_worked", "what_did_not", "no_lessons", "no_action_reason")


def controls_by_id(ids: list[str]) -> list[AnnexAControl]:
    """The Annex A controls named, in the catalogue's order; an unknown id is a 400."""
    wanted = {str(i).strip().removeprefix("A.") for i in ids if str(i).strip()}
    found = list(AnnexAControl.objects.filter(id__in=wanted))
    unknown = sorted(wanted - {c.id for c in found})
    if unknown:
        raise InvalidInput(
            "UNKNOWN_CONTROL",
            _("Not a control of ISO/IEC 27001:2022 Annex A: %(ids)s") % {"ids": ", ".join(unknown)},
            field="controls",
            unknown=unknown,
        )
    return found


def _lessons(items: list[str]) -> list[str]:
    return [str(item).strip() for item in items if str(item).strip()]


@transaction.atomic
def review_save(
    *,
    incident: Incident,
    actor: User,
    root_cause: str = "",
    what_worked: str = "",
    what_did_not: str = "",
    lessons: list[str] | None = None,
    no_lessons: str = "",
    controls: list[str] | None = None,
    no_action_reason: str = "",
) -> PostIncidentReview:
    """Write the review as a whole; one timeline entry names the parts that changed."""
    incident_access.require(access.can_write(actor), "write the post-incident review")
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status == IncidentStatus.CLOSED:
        raise Conflict(
            "INCIDENT_CLOSED", _("The incident is closed: reopen it to change its review.")
        )
    chosen = controls_by_id(controls or [])
    review, _created = PostIncidentReview.objects.get_or_create(incident=incident)
    values = {
        "root_cause": root_cause.strip(),
        "what_worked": what_worked.strip(),
        "what_did_not": what_did_not.strip(),
        "no_lessons": no_lessons.strip(),
        "no_action_reason": no_action_reason.strip(),
    }
    changed = [name for name, value in values.items() if getattr(review, name) != value]
    new_lessons = _lessons(lessons or [])
    if new_lessons != review.lessons:
        changed.append("lessons")
    before = sorted(review.controls_affected.values_list("id", flat=True))
    if sorted(c.id for c in chosen) != before:
        changed.append("controls_affected")
    for name, value in values.items():
        setattr(review, name, value)
    review.lessons, review.written_by = new_lessons, actor
    review.save()
    review.controls_affected.set(chosen)
    if changed:
        timeline_append(
            incident=incident,
            kind="review.written",
            actor=actor,
            payload={"changed": changed, "complete": review.complete},
        )
    return review
