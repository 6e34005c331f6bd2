"""Level changes: only an approved decision moves the level (L-0); peak never falls (L-D)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bcp.enums import Outcome
from bcp.models import Decision
from bcp.services import decisions
from common import clock, events
from common.errors import InvalidInput
from incidents.models import Incident
from incidents.services.timeline import timeline_append
from risklevels.models import FiredRule, LevelChange
from risklevels.services.checklists import checklist_issue, checklists_through


def on_declared(*, incident: Incident, actor: User | None) -> None:
    """L-1: every incident starts at level 1 with the level-1 checklist of its category."""
    checklist_issue(incident=incident, level=1, actor=actor, at=incident.declared_at)


@transaction.atomic
def level_apply(decision: Decision, actor: User) -> None:
    """Outcome handler of ESCALATE_LEVEL and DEESCALATE_LEVEL."""
    if decision.outcome != Outcome.APPROVED or decision.target_level is None:
        return
    incident = Incident.objects.select_for_update().get(pk=decision.incident_id)
    previous, target = incident.level, decision.target_level
    if target == previous:
        return
    active = FiredRule.objects.filter(incident=incident, active=True)
    incident.level = target
    incident.peak_level = max(incident.peak_level, target)
    # L-0/L-D: the recommendation is max(level, the targets of the rules that still fire); an
    # approved lowering does not hide a rule that still holds.
    incident.recommended_level = max([target, *active.values_list("target", flat=True)])
    incident.save(update_fields=["level", "peak_level", "recommended_level", "updated_at"])
    rules = list(active.values_list("rule_id", flat=True))
    LevelChange.objects.create(
        incident=incident,
        from_level=previous,
        to_level=target,
        decision=decision,
        fired_rules=rules,
        fact_snapshot=decision.fact_snapshot,
        at=clock.now(),
        actor=actor,
    )
    timeline_append(
        incident=incident,
        kind="level.changed",
        actor=actor,
        payload={"from": previous, "to": target, "decision": decision.pk, "rules": rules},
    )
    events.publish(
        "level.changed",
        organisation_id=incident.organisation_id,
        incident=incident,
        previous=previous,
        level=target,
        decision=decision,
    )
    if target > previous:  # a level entered without its gate (a manual escalation)
        checklists_through(incident=incident, level=target, actor=actor)


def level_lower_request(*, incident: Incident, actor: User, target: int, reason: str) -> Decision:
    """L-D: lowering the level is a DEESCALATE_LEVEL decision, with its rationale later."""
    if not 1 <= target < incident.level:
        raise InvalidInput(
            "invalid_target_level", _("The target must be below the current level."), field="target"
        )
    return decisions.decision_open(
        incident=incident,
        decision_type="DEESCALATE_LEVEL",
        actor=actor,
        target_level=target,
        opened_by_rule="L-D",
        reason=reason,
    )
