"""A triage item opened by a notice from outside (issue 22's retro-hunt): threat intelligence
that names something the organisation's own records hold.

The narrow public door for other apps (sharing) to put an item in the ISMS office's triage
queue: the item has no report of its own; the incidents it points at get a timeline entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from accounts.models import Organisation
from common import clock
from incidents.models import Event, Incident
from incidents.models.enums import Category, Channel, Impact
from incidents.services.intake import priority_of
from incidents.services.timeline import timeline_append

NOTICE_KIND = "intel.sighted"


@transaction.atomic
def event_open_for_notice(
    *,
    organisation: Organisation,
    summary: str,
    incidents: Iterable[Incident] = (),
    payload: dict[str, Any] | None = None,
    category: str = Category.TARGETED_EMAIL,
    impact: str = Impact.LOW,
) -> Event:
    """Open a waiting triage item (channel: external notification) and record, on each
    incident it points at, that the notice named it (payload: what the sentence needs)."""
    result = priority_of(organisation.pk, category, impact)
    event = Event.objects.create(
        organisation=organisation,
        summary=summary[:300],
        category=category,
        channel=Channel.EXTERNAL_NOTIFICATION,
        impact=impact,
        priority=result.priority,
        priority_reason=result.reason[:300],
        received_at=clock.now(),
    )
    for incident in incidents:
        if incident.organisation_id == organisation.pk and not incident.is_exercise:
            timeline_append(
                incident=incident, kind=NOTICE_KIND, payload={**(payload or {}), "event": event.pk}
            )
    return event
