"""What the incident report prints, read through each app's selectors (the caller has already
fetched the incident through ``incident_get``, which checks that the user may see it)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from bcp import selectors as bcp_selectors
from bcp.models import BcpAction, BcpActivation, Decision, DecisionAssignment
from comms import selectors as comms_selectors
from comms.models import Communication
from incidents import facts
from incidents import selectors as incident_selectors
from incidents.models import AffectedAsset, EvidenceItem, Incident, Indicator, TimelineEntry
from incidents.models.enums import Tlp
from incidents.services.timeline import ChainStatus, timeline_verify
from incidents.tlp import ORDER as TLP_ORDER
from incidents.tlp import within as within_ceiling
from isms import selectors as isms_selectors
from isms.models import CorrectiveAction, PostIncidentReview
from privacy import selectors as privacy_selectors
from privacy.models import Obligation
from risklevels import selectors as level_selectors
from risklevels.models import LevelChange
from risklevels.selectors import Reason


def tlp_ceiling(incident: Incident, asked: str | None) -> str:
    """The ceiling the reader chose, else the incident's own TLP (``None`` when the choice is
    not a TLP: the caller answers 400)."""
    return asked if asked in TLP_ORDER else incident.tlp


@dataclass(frozen=True)
class IncidentReport:
    incident: Incident
    tlp: str
    counters: dict[str, int]
    reasons: list[Reason]
    level_changes: list[LevelChange]
    decisions: list[Decision]
    activation: BcpActivation
    bcp_actions: list[BcpAction]
    assets: list[AffectedAsset]
    indicators: list[Indicator]
    indicators_withheld: int
    evidence: list[EvidenceItem]
    obligations: list[Obligation]
    communications: list[Communication]
    review: PostIncidentReview | None
    corrective_actions: list[CorrectiveAction]
    timeline: list[TimelineEntry]
    chain: ChainStatus

    @property
    def tlp_label(self) -> str:
        return str(Tlp(self.tlp).label)

    @property
    def head_hash(self) -> str:
        return self.chain.head_hash


def _decisions(incident: Incident) -> QuerySet[Decision]:
    history = DecisionAssignment.objects.select_related("person").order_by("at", "id")
    return (
        bcp_selectors.decisions_of_incident(incident)
        .select_related("ratified_by")
        .prefetch_related(Prefetch("assignments", queryset=history))
        .order_by("opened_at", "id")
    )


def _indicators(incident: Incident, tlp: str) -> tuple[list[Indicator], list[str]]:
    """The indicators within the ceiling, and the values of those above it."""
    rows = list(incident_selectors.indicators_of(incident))
    shown = [row for row in rows if within_ceiling(row.tlp, tlp)]
    return shown, [row.value for row in rows if not within_ceiling(row.tlp, tlp)]


def _timeline(incident: Incident, withheld: list[str]) -> list[TimelineEntry]:
    """The whole chain, in order; an entry that names an indicator above the ceiling keeps its
    place, time and kind, its words marked ``withheld`` (the chain's hash still covers it)."""
    entries = list(incident_selectors.timeline_of(incident).order_by("seq"))
    for entry in entries:
        text = json.dumps(entry.payload, ensure_ascii=False)
        entry.withheld = any(value and value in text for value in withheld)  # type: ignore[attr-defined]
    return entries


def incident_report(*, incident: Incident, tlp: str) -> IncidentReport:
    """Every section of the report; indicators above the ceiling ``tlp`` are left out (counted)."""
    activation = bcp_selectors.bcp_activation_of(incident)
    indicators, withheld = _indicators(incident, tlp)
    return IncidentReport(
        incident=incident,
        tlp=tlp,
        counters=facts.incident_counters(incident),
        reasons=level_selectors.reasons_of(incident),
        level_changes=list(
            level_selectors.level_history(incident).select_related("actor", "decision")
        ),
        decisions=list(_decisions(incident)),
        activation=activation,
        bcp_actions=list(bcp_selectors.bcp_actions_of(activation)),
        assets=list(incident_selectors.affected_assets_of(incident)),
        indicators=indicators,
        indicators_withheld=len(withheld),
        evidence=list(incident_selectors.evidence_of(incident)),
        obligations=list(privacy_selectors.obligations_of(incident).order_by("due_at", "id")),
        communications=list(comms_selectors.communications_of(incident).order_by("created_at")),
        review=isms_selectors.review_of(incident),
        corrective_actions=list(isms_selectors.actions_of_incident(incident)),
        timeline=_timeline(incident, withheld),
        # Verified last, after every read: the printed head is the chain the report shows.
        chain=timeline_verify(incident=incident),
    )
