"""Reads of the escalation model: why a level is recommended, the history, the trend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import translation

from accounts.models import Organisation
from incidents.models import Incident
from risklevels import evaluator, explain
from risklevels.models import (
    ChecklistTemplate,
    EscalationParams,
    FiredRule,
    LevelChange,
    LevelDefinition,
    TrendPoint,
)


@dataclass(frozen=True)
class Reason:
    rule_id: str
    target: int
    text: str
    first_at: datetime
    last_at: datetime
    params_version: int


def reasons_of(incident: Incident) -> list[Reason]:
    """The active fired rules, explained in the current language, highest target first."""
    rules = FiredRule.objects.filter(incident=incident, active=True).order_by("-target", "rule_id")
    return [
        Reason(
            rule.rule_id,
            rule.target,
            explain.explain(
                evaluator.FiredRule(rule.rule_id, rule.target, tuple(sorted(rule.detail.items())))
            ),
            rule.first_at,
            rule.last_at,
            rule.params_version,
        )
        for rule in rules
    ]


def level_history(incident: Incident) -> QuerySet[LevelChange]:
    return LevelChange.objects.filter(incident=incident).select_related("actor", "decision")


TREND_SHOWN = 20  # the escalation panel's newest points


def trend_of(incident: Incident) -> QuerySet[TrendPoint]:
    return TrendPoint.objects.filter(incident=incident).order_by("at", "id")


def level_definitions(organisation: Organisation) -> QuerySet[LevelDefinition]:
    return LevelDefinition.objects.filter(organisation=organisation).order_by("level")


def checklist_templates(organisation: Organisation) -> QuerySet[ChecklistTemplate]:
    return ChecklistTemplate.objects.filter(organisation=organisation).order_by(
        "track", "level", "order", "id"
    )


def escalation_params_in_force(organisation: Organisation) -> EscalationParams:
    """The organisation's newest escalation parameters; the defaults when none were saved."""
    newest = EscalationParams.objects.filter(organisation=organisation).order_by("-version")
    return newest.first() or EscalationParams(organisation=organisation, version=1)


def level_name(definition: LevelDefinition | None, level: int) -> str:
    if definition is None:
        return str(level)
    name = definition.name_ja if translation.get_language() == "ja" else definition.name_en
    return f"{level} {name}"


def escalation_summary(incident: Incident) -> dict[str, Any]:
    """The level, the recommendation and its reasons; read once per incident object and levels
    (the incident page shows it twice: the live panel and the escalation panel, issue 20)."""
    key = (incident.level, incident.recommended_level, incident.peak_level)
    memo = getattr(incident, "_escalation_summary", None)
    if memo is not None and memo[0] == key:
        return dict(memo[1])
    definitions = {d.level: d for d in level_definitions(incident.organisation)}
    summary = {
        "level": incident.level,
        "level_name": level_name(definitions.get(incident.level), incident.level),
        "recommended_level": incident.recommended_level,
        "recommended_level_name": level_name(
            definitions.get(incident.recommended_level), incident.recommended_level
        ),
        "peak_level": incident.peak_level,
        "reasons": reasons_of(incident),
    }
    incident._escalation_summary = (key, summary)  # type: ignore[attr-defined]
    return dict(summary)
