"""Reads of threat intelligence, scoped to the user's organisation."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from incidents.models import Event
from sharing.models import Sighting, ThreatIntelItem

PAGE = 50


def intel_items(user: User) -> QuerySet[ThreatIntelItem]:
    return ThreatIntelItem.objects.filter(organisation_id=user.organisation_id).order_by(
        "-updated_at", "-id"
    )[:PAGE]


def intel_sightings(user: User) -> QuerySet[Sighting]:
    return (
        Sighting.objects.filter(organisation_id=user.organisation_id)
        .select_related("item", "event")
        .order_by("-created_at", "-id")[:PAGE]
    )


def sightings_of_event(event: Event) -> list[Sighting]:
    return list(
        Sighting.objects.filter(organisation_id=event.organisation_id, event=event)
        .select_related("item")
        .order_by("id")
    )
