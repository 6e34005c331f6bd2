"""Counts that rules, decisions and the dashboard read about an incident (rule X-4)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from incidents.models import AffectedAsset, Incident
from incidents.models.enums import EFFECTIVE_INFECTION, ContainmentState, InfectionState


def infection_counts(incident: Incident) -> dict[str, int]:
    """One aggregate query: effective (suspected or worse), confirmed and isolated assets."""
    return AffectedAsset.objects.filter(incident=incident).aggregate(
        infected_effective_count=Count("id", filter=Q(infection_state__in=EFFECTIVE_INFECTION)),
        infected_confirmed_count=Count(
            "id",
            filter=Q(infection_state__in=[InfectionState.CONFIRMED, InfectionState.COMPROMISED]),
        ),
        isolated_count=Count("id", filter=Q(containment_state=ContainmentState.ISOLATED)),
    )


def incident_snapshot(incident: Incident) -> dict[str, Any]:
    """The facts of rule D-5 that the incident record itself knows."""
    return {
        "level": incident.level,
        "recommended_level": incident.recommended_level,
        **infection_counts(incident),
        "external_comm_status": incident.external_comm_status,
        "leak_status": incident.leak_status,
    }
