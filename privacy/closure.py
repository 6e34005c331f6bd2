"""What privacy tells incidents (registered in PrivacyConfig.ready): C-1's open obligations and
M-1's APPI obligations, the page that fixes them, T-1's TLP floor, L3-b's hosting links, and
who holds an obligation (they see the incident)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from incidents.models import Incident
from incidents.models.enums import Tlp
from privacy.enums import APPI_KINDS
from privacy.models import DataSet, Obligation


def fact_parts(incident_id: int) -> dict[str, Any]:
    """C-1: every obligation DONE or WAIVED; M-1: an APPI obligation marks the review (read
    with the guards' other facts: ``incidents.extensions.register_fact_parts``)."""
    return {
        "obligations": Obligation.objects.filter(incident_id=incident_id)
        .order_by()
        .values("incident_id")
        .annotate(
            open=Count("pk", filter=Q(status="OPEN")),
            appi=Count("pk", filter=Q(kind__in=APPI_KINDS)),
        )
    }


def read_facts(rows: dict[str, Any]) -> dict[str, Any]:
    counts = rows["obligations"][0] if rows["obligations"] else {"open": 0, "appi": 0}
    return {"open_obligations": counts["open"], "appi_obligations": counts["appi"]}


def tlp_floor(incident: Incident) -> str | None:
    """T-1: RED while a personal-data set is linked to the incident."""
    linked = DataSet.objects.filter(contains_personal_data=True).filter(
        Q(assessments__incident=incident) | Q(leaks__incident=incident)
    )
    return Tlp.RED if linked.exists() else None


def sensitive_hosts(organisation_id: int) -> Any:
    """L3-b: the assets that host a data set with personal or confidential data."""
    sets = DataSet.objects.filter(organisation_id=organisation_id).filter(
        Q(contains_personal_data=True)
        | Q(confidentiality__in=["CONFIDENTIAL", "STRICTLY_CONFIDENTIAL"])
    )
    return sets.filter(hosted_on__isnull=False).values("hosted_on")


def obligations_held(user: Any, roles: frozenset[str]) -> Any:
    """Whoever holds the owner role of an obligation of the incident sees it (issue 16)."""
    return Exists(Obligation.objects.filter(incident=OuterRef("pk"), owner_role__in=roles))


def _obligations(incident: Incident) -> str:
    return reverse("privacy:incident_privacy", args=[incident.ref])


GUARD_LINKS = {"C1-OBLIGATIONS": _obligations}
