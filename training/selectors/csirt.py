"""Reads of the CSIRT-function map: the rows, and the one-page view of the current STEP and
what the next STEP adds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from accounts.models import Organisation
from training.catalogue import STEP_ADDS
from training.enums import DeliveryMode
from training.models import CsirtFunctionDelivery, CsirtMapChange


def csirt_map(organisation: Organisation) -> QuerySet[CsirtFunctionDelivery]:
    return (
        CsirtFunctionDelivery.objects.filter(organisation=organisation)
        .select_related("function", "updated_by")
        .order_by("function__number")
    )


@dataclass
class StepPage:
    step: int
    covered: list[CsirtFunctionDelivery]  # in this STEP or earlier, and delivered
    gaps: list[CsirtFunctionDelivery]  # in this STEP or earlier, not yet delivered
    next_adds: list[CsirtFunctionDelivery]  # what the next STEP brings in
    later: list[CsirtFunctionDelivery]
    step_text: str
    next_text: str


def step_page(organisation: Organisation) -> StepPage:
    rows = list(csirt_map(organisation))
    current = organisation.csirt_step

    def in_scope(row: CsirtFunctionDelivery) -> bool:
        return row.step is not None and row.step <= current

    return StepPage(
        step=current,
        covered=[r for r in rows if in_scope(r) and r.mode != DeliveryMode.NOT_PROVIDED],
        gaps=[r for r in rows if in_scope(r) and r.mode == DeliveryMode.NOT_PROVIDED],
        next_adds=[r for r in rows if r.step == current + 1],
        later=[r for r in rows if r.step is None or r.step > current + 1],
        step_text=STEP_ADDS.get(current, ""),
        next_text=STEP_ADDS.get(current + 1, ""),
    )


def csirt_changes(
    organisation: Organisation, since: datetime, until: datetime
) -> QuerySet[CsirtMapChange]:
    return (
        CsirtMapChange.objects.filter(organisation=organisation, at__gte=since, at__lt=until)
        .select_related("function", "actor")
        .order_by("at", "id")
    )
