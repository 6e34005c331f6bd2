"""Re-evaluation of an incident after a fact changed, inside the caller's transaction.

Reads the facts (a handful of queries, independent of how many deliveries exist), runs the pure
evaluator, records fired rules and the trend, and opens or raises the decisions that the
recommendation calls for (L-E, D-1, D-1b). The level itself changes only by decision (L-0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Min, Q, QuerySet, Subquery, Value

from accounts.models import User
from bcp.enums import DecisionStatus, Outcome, Recommendation, Scope
from bcp.models import Decision
from bcp.services import decisions
from common import events
from common.prepared import Prepared
from incidents import extensions
from incidents import facts as incident_facts
from incidents.models import AffectedAsset, Fact, FactKind, Incident
from incidents.models.enums import EFFECTIVE_INFECTION, SERVER_KINDS
from incidents.services.timeline import timeline_append
from risklevels import evaluator, explain
from risklevels.models import EscalationParams, FiredRule, TrendPoint
from risklevels.services.checklists import checklist_issue, checklists_through
from risklevels.services.setup import as_evaluator_params, params_current

ASSET_COLUMNS = (
    "asset_id",
    "asset__asset_tag",
    "asset__kind",
    "infection_state",
    "infection_via",
    "infection_observed_at",
    "isolated_at",
    "sensitive",
)


def _rows(incident: Incident):  # type: ignore[no-untyped-def]
    """The incident's affected assets; ``sensitive`` = the asset holds personal, customer or
    company-confidential data (rule L3-b)."""
    sensitive = Q(asset__holds_personal_data=True) | Q(asset__holds_confidential_data=True)
    for hosts in extensions.sensitive_asset_queries(incident.organisation_id):
        sensitive |= Q(asset_id__in=hosts)
    return AffectedAsset.objects.filter(incident=incident).annotate(
        sensitive=ExpressionWrapper(sensitive, output_field=BooleanField())
    )


def _facts(rows) -> list[evaluator.AssetFact]:  # type: ignore[no-untyped-def]
    return [evaluator.AssetFact(*row) for row in rows.values_list(*ASSET_COLUMNS)]


# The snapshot's other reads, compiled once per thread (common.prepared, issue 20).
_LEAK_FACTS = Prepared(
    lambda incident_id: Fact.objects.filter(
        incident_id=incident_id, kind=FactKind.LEAK
    ).values_list("asset_id", "data", "observed_at")
)
_EXTERNAL_COMM = Prepared(
    lambda incident_id: (
        Fact.objects.filter(incident_id=incident_id, kind=FactKind.EXTERNAL_COMM)
        .order_by()
        .values("incident_id")
        .annotate(
            any=Min("observed_at"), confirmed=Min("observed_at", filter=Q(data__status="CONFIRMED"))
        )
        .values_list("any", "confirmed")
    )
)


def _leaks(incident: Incident) -> tuple[evaluator.LeakFact, ...]:
    return tuple(
        evaluator.LeakFact(
            status=data.get("status", "SUSPECTED"),
            asset_id=asset_id,
            asset_kind=evaluator.DATA_SET if data.get("data_set") else data.get("asset_kind"),
            personal_data=bool(data.get("personal_data")),
            observed_at=observed_at,
            data_set=bool((data.get("data_set") or {}).get("sensitive")),
        )
        for asset_id, data, observed_at in _LEAK_FACTS(incident.pk)
    )


def _external_comm_since(incident: Incident) -> tuple[tuple[str, datetime], ...]:
    """When outside communication was first seen at all, and first confirmed (rule L2-d)."""
    first = _EXTERNAL_COMM(incident.pk) or [(None, None)]
    pairs = (("SUSPECTED", first[0][0]), ("CONFIRMED", first[0][1]))
    return tuple((status, at) for status, at in pairs if at is not None)


def snapshot_of(
    incident: Incident, *, threshold: int = 2, infected_total: int | None = None
) -> evaluator.Snapshot:
    """A bounded view of the incident that fires exactly the rules the full one fires, from the
    same moments.

    At 10 000 affected assets loading them all is too slow for a request, so: the count of
    infected assets and the earliest ``threshold`` infection times (L2-a), five of them for the
    explanation, the two earliest isolations and the two earliest infections seen after the
    first isolation (enough to decide and date L2-b), the earliest lateral infection, the
    servers, the leaks and the first outside communication. Four small indexed queries
    whatever the incident's size (three when the caller counted the infected assets already:
    ``infected_total``).
    """
    picked: dict[int, evaluator.AssetFact] = {}
    earliest: list[datetime] = []
    for part, row in _sample(incident, threshold):
        fact = evaluator.AssetFact(*row)
        if part == SAMPLE:
            picked[fact.asset_id] = fact
        elif fact.infected_observed_at is not None:
            earliest.append(fact.infected_observed_at)
    return evaluator.Snapshot(
        level=incident.level,
        assets=tuple(picked[k] for k in sorted(picked)),
        leaks=_leaks(incident),
        external_comm_status=incident.external_comm_status,
        infected_total=(
            AffectedAsset.objects.filter(
                incident=incident, infection_state__in=EFFECTIVE_INFECTION
            ).count()
            if infected_total is None
            else infected_total
        ),
        earliest_infections=tuple(sorted(earliest)[:threshold]),
        external_comm_since=_external_comm_since(incident),
    )


SAMPLE, EARLIEST = 0, 1


def _sample(incident: Incident, threshold: int) -> list[tuple[int, tuple]]:  # type: ignore[type-arg]
    """The snapshot's rows as (part, ASSET_COLUMNS): SAMPLE = the bounded subsets, EARLIEST =
    the ``threshold`` earliest infections (only their times count: as a sample they would add
    names to the explanation).

    Each subset chooses its rows' ids on the incident's own rows (an index, no join, a sort of
    at most the infected ones); only the chosen rows are joined to their asset and screened for
    sensitive data (issue 20: joining first cost a sort of every infected asset's row).
    """
    if connection.vendor == "postgresql":
        return [(row[-1], row[:-1]) for row in _sample_rows(incident, threshold)]
    subsets, first_infections = _subsets(incident, threshold)
    rows = _rows(incident)
    # SQLite (`make run`) cannot put a sliced query inside a UNION: one read per subset.
    chosen = [*((SAMPLE, subset) for subset in subsets), (EARLIEST, first_infections)]
    return [
        (part, row)
        for part, subset in chosen
        for row in rows.filter(pk__in=subset.values("pk")).values_list(*ASSET_COLUMNS)
    ]


def _subsets(incident: Incident, threshold: int) -> tuple[list[QuerySet], QuerySet]:
    """The sample's subsets and the earliest infections, as query sets of the incident's own
    rows."""
    own = AffectedAsset.objects.filter(incident=incident)
    infected = own.filter(infection_state__in=EFFECTIVE_INFECTION)
    first_isolation = (
        own.filter(isolated_at__isnull=False).order_by("isolated_at").values("isolated_at")[:1]
    )
    subsets = [
        own.filter(isolated_at__isnull=False).order_by("isolated_at", "asset_id")[:2],
        infected.order_by("asset_id")[:5],
        infected.filter(infection_via="LATERAL").order_by(
            F("infection_observed_at").asc(nulls_last=True), "asset_id"
        )[:1],
        own.filter(asset__kind__in=SERVER_KINDS).order_by("asset_id")[:50],
        # None when nothing is isolated: then no row is later than it.
        infected.filter(infection_observed_at__gt=Subquery(first_isolation)).order_by(
            "infection_observed_at", "asset_id"
        )[:2],
    ]
    first_infections = infected.filter(infection_observed_at__isnull=False).order_by(
        "infection_observed_at", "asset_id"
    )[:threshold]
    return subsets, first_infections


def _sample_query(incident: Incident, threshold: int) -> QuerySet:
    """PostgreSQL: the sample in one statement (issue 20): the chosen ids as one UNION ALL, the
    earliest infections beside them, each row tagged with its part (the last column)."""
    subsets, first_infections = _subsets(incident, threshold)
    rows = _rows(incident)
    ids = [subset.values("pk") for subset in subsets]
    parts = [
        query.annotate(part=Value(part)).values_list(*ASSET_COLUMNS, "part")
        for part, query in (
            (SAMPLE, rows.filter(pk__in=ids[0].union(*ids[1:], all=True))),
            (EARLIEST, rows.filter(pk__in=first_infections.values("pk"))),
        )
    ]
    return parts[0].union(parts[1], all=True)


# Building and compiling that statement was most of a re-evaluation's own time (5 ms of Python
# per fact change at 10 000 assets, issue 20): it is compiled once per thread and shape (the
# threshold, whether a sensitive-asset source reads the organisation), run with the ids.
_SAMPLES: dict[tuple[int, bool], Prepared] = {}


def _sample_rows(incident: Incident, threshold: int) -> list[tuple[Any, ...]]:
    by_organisation = bool(extensions.sensitive_asset_queries(incident.organisation_id))
    shape = (threshold, by_organisation)
    if shape not in _SAMPLES:
        _SAMPLES[shape] = Prepared(
            lambda incident_id, organisation_id=0: _sample_query(
                Incident(pk=incident_id, organisation_id=organisation_id), threshold
            )
        )
    ids = (incident.pk, incident.organisation_id) if by_organisation else (incident.pk,)
    return _SAMPLES[shape](*ids)


def full_snapshot_of(incident: Incident) -> evaluator.Snapshot:
    """Every affected asset: the reference the bounded snapshot is tested against."""
    return evaluator.Snapshot(
        level=incident.level,
        assets=tuple(_facts(_rows(incident).order_by("asset_id"))),
        leaks=_leaks(incident),
        external_comm_status=incident.external_comm_status,
        external_comm_since=_external_comm_since(incident),
    )


# The re-evaluation's fixed reads, compiled once per thread (common.prepared, issue 20).
_LOCKED = Prepared(
    lambda incident_id: (
        Incident.objects.select_related("organisation")
        .select_for_update(of=("self",))
        .filter(pk=incident_id)
    )
)
_PARAMS = Prepared(
    lambda organisation_id: EscalationParams.objects.filter(
        organisation_id=organisation_id
    ).order_by("-version")[:1]
)
_FIRED = Prepared(lambda incident_id: FiredRule.objects.filter(incident_id=incident_id))
_LAST_POINT = Prepared(
    lambda incident_id: TrendPoint.objects.filter(incident_id=incident_id).order_by("-at", "-id")[
        :1
    ]
)


@transaction.atomic(savepoint=False)  # a facts listener: joins the fact's transaction (issue 20)
def incident_reevaluate(
    *, incident: Incident, actor: User | None, observed_at: datetime
) -> evaluator.Evaluation:
    """Re-run the rules after a fact observed at ``observed_at`` (the rules' "t")."""
    # The organisation comes with the locked row (only the incident's row is locked).
    locked = _LOCKED(incident.pk)
    if not locked:
        raise Incident.DoesNotExist(f"no incident {incident.pk}")
    incident = locked[0]
    params = next(iter(_PARAMS(incident.organisation_id)), None) or params_current(
        organisation=incident.organisation
    )
    # One aggregate gives the snapshot's infected count and the trend point.
    counts = incident_facts.infection_counts(incident)
    snapshot = snapshot_of(
        incident,
        threshold=params.infected_threshold,
        infected_total=counts["infected_effective_count"],
    )
    result = evaluator.evaluate(snapshot, as_evaluator_params(params))
    existing = {r.rule_id: r for r in _FIRED(incident.pk)}
    fired_before = set(existing)
    newly = _record_rules(incident, result, observed_at, existing)
    _record_trend(incident, observed_at, counts)
    if result.recommended_level != incident.recommended_level:
        previous = incident.recommended_level
        incident.recommended_level = result.recommended_level
        incident.save(update_fields=["recommended_level", "updated_at"])
        timeline_append(
            incident=incident,
            kind="level.recommended",
            actor=actor,
            payload={
                "from": previous,
                "to": result.recommended_level,
                "rules": result.rule_ids,
                "params_version": result.params_version,
            },
        )
        if result.recommended_level > previous:
            events.publish(
                "recommendation.raised",
                organisation_id=incident.organisation_id,
                incident=incident,
                previous=previous,
                level=result.recommended_level,
                rules=result.rule_ids,
            )
    _open_decisions(incident, result, Firings(newly, fired_before, observed_at), actor)
    return result


@dataclass(frozen=True)
class Firings:
    """What this evaluation changed: the rules that fired for the first time (with the moment
    each first held), the rules that had ever fired before, and the event's own time."""

    newly: dict[str, datetime]
    before: set[str]
    at: datetime

    def first(self, prefix: str = "") -> datetime | None:
        """When the earliest newly fired rule (of a prefix: "L2-", "L3-") first held."""
        times = [t for rule_id, t in self.newly.items() if rule_id.startswith(prefix)]
        return min(times) if times else None

    def gate(self, prefix: str) -> datetime | None:
        """D-1/D-1b: the moment the *first* rule of a level ever fired, or None."""
        if any(rule_id.startswith(prefix) for rule_id in self.before):
            return None
        return self.first(prefix)


def _record_rules(
    incident: Incident,
    result: evaluator.Evaluation,
    at: datetime,
    existing: dict[str, FiredRule],
) -> dict[str, datetime]:
    """Keep the first firing of each rule, dated when its condition first held; return the
    rules that fired for the first time with that moment. ``existing``: the incident's fired
    rules by id, read by the caller; the ones that fire again are updated in one query."""
    newly = {}
    again = []
    for rule in result.fired:
        detail = {
            k: v if isinstance(v, int | str | bool) else str(v)
            for k, v in rule.detail_dict().items()
        }
        since = rule.since or at
        if rule.rule_id in existing:
            fired = existing[rule.rule_id]
            fired.last_at = max(at, since, fired.last_at)
            fired.detail, fired.params_version, fired.active = detail, result.params_version, True
            again.append(fired)
        else:
            FiredRule.objects.create(
                incident=incident,
                rule_id=rule.rule_id,
                target=rule.target,
                first_at=since,
                last_at=max(at, since),
                params_version=result.params_version,
                detail=detail,
            )
            newly[rule.rule_id] = since
    FiredRule.objects.bulk_update(again, ["last_at", "detail", "params_version", "active"])
    still = {rule.rule_id for rule in result.fired}
    # Read under the incident's lock: only the rules that stopped firing are written.
    stopped = [r.pk for rule_id, r in existing.items() if rule_id not in still and r.active]
    if stopped:
        FiredRule.objects.filter(pk__in=stopped).update(active=False)
    return newly


def _record_trend(incident: Incident, at: datetime, counts: dict[str, int]) -> None:
    last = next(iter(_LAST_POINT(incident.pk)), None)
    point = (
        counts["infected_effective_count"],
        counts["infected_confirmed_count"],
        counts["isolated_count"],
    )
    if last is None or (last.effective, last.confirmed, last.isolated) != point:
        TrendPoint.objects.create(
            incident=incident, at=at, effective=point[0], confirmed=point[1], isolated=point[2]
        )


def _open_decisions(
    incident: Incident, result: evaluator.Evaluation, firings: Firings, actor: User | None
) -> None:
    """L-E, and the level gates D-1 / D-1b with their checklists, each dated at its "t"."""
    reason = explain.join_reasons(explain.explain_all(result.fired))
    if result.recommended_level > incident.level:
        at = firings.first() or firings.at
        _escalate_decision(incident, result.recommended_level, reason, actor, at)
    level2 = firings.gate("L2-")
    if level2 is not None:
        _level2_gate(incident, reason, actor, level2)
        checklist_issue(incident=incident, level=2, actor=actor, at=level2)
    level3 = firings.gate("L3-")
    if level3 is not None:
        _level3_gate(incident, reason, actor, level3)
        checklists_through(incident=incident, level=3, actor=actor, at=level3)


def _escalate_decision(
    incident: Incident, target: int, reason: str, actor: User | None, at: datetime
) -> None:
    """L-E: one open ESCALATE_LEVEL decision; a higher recommendation raises it in place."""
    open_one = (
        Decision.objects.select_for_update()
        .filter(incident=incident, type="ESCALATE_LEVEL", status=DecisionStatus.OPEN)
        .first()
    )
    if open_one is None:
        decisions.decision_open(
            incident=incident,
            decision_type="ESCALATE_LEVEL",
            actor=actor,
            recommendation=Recommendation.APPROVE,
            target_level=target,
            opened_by_rule="L-E",
            reason=reason,
            at=at,
        )
    elif (open_one.target_level or 0) < target:
        open_one.target_level, open_one.reason = target, reason
        open_one.save(update_fields=["target_level", "reason", "updated_at"])
        timeline_append(
            incident=incident,
            kind="decision.raised",
            actor=actor,
            payload={"decision": open_one.pk, "target_level": target},
        )


def _blocked(incident: Incident, decision_type: str) -> bool:
    """D-1: a decision point is never opened twice: one of its type is open, or approved."""
    same = Decision.objects.filter(incident=incident, type=decision_type)
    if same.filter(status=DecisionStatus.OPEN).exists():
        return True
    return same.filter(status=DecisionStatus.DECIDED, outcome=Outcome.APPROVED).exists()


def _level2_gate(incident: Incident, reason: str, actor: User | None, at: datetime) -> None:
    """D-1: the three level-2 decision points, unless one of a type is open or approved."""
    for decision_type, recommendation in (
        ("ESTABLISH_IRT", Recommendation.APPROVE),
        ("ACTIVATE_CYBER_BCP", Recommendation.NONE),
        ("CUT_ALL_EXTERNAL_NETWORK", Recommendation.NONE),
    ):
        if not _blocked(incident, decision_type):
            decisions.decision_open(
                incident=incident,
                decision_type=decision_type,
                actor=actor,
                recommendation=recommendation,
                opened_by_rule="D-1",
                reason=reason,
                at=at,
            )


def _level3_gate(incident: Incident, reason: str, actor: User | None, at: datetime) -> None:
    """D-1b: cut-off and full BCP recommended; declined or deferred ones are superseded."""
    for decision_type, scope in (
        ("CUT_ALL_EXTERNAL_NETWORK", Scope.NONE),
        ("ACTIVATE_CYBER_BCP", Scope.FULL),
    ):
        _recommend_approval(incident, decision_type, scope, reason, actor, at)
    for decision_type, recommendation in (
        ("PUBLIC_ANNOUNCEMENT", Recommendation.NONE),
        ("ESTABLISH_IRT", Recommendation.APPROVE),
    ):
        if not _blocked(incident, decision_type):
            decisions.decision_open(
                incident=incident,
                decision_type=decision_type,
                actor=actor,
                recommendation=recommendation,
                opened_by_rule="D-1b",
                reason=reason,
                at=at,
            )


def _recommend_approval(
    incident: Incident,
    decision_type: str,
    scope: str,
    reason: str,
    actor: User | None,
    at: datetime,
) -> None:
    same = Decision.objects.select_for_update().filter(incident=incident, type=decision_type)
    approved = same.filter(status=DecisionStatus.DECIDED, outcome=Outcome.APPROVED)
    full = Scope.FULL if decision_type == "ACTIVATE_CYBER_BCP" else Scope.NONE
    if approved.filter(outcome_scope__in=[full, Scope.FULL]).exists():
        return  # already approved at full scope
    open_one = same.filter(status=DecisionStatus.OPEN).first()
    if open_one is not None:  # raised in place; its deadline is kept
        open_one.recommendation, open_one.recommended_scope = Recommendation.APPROVE, scope
        open_one.reason = reason
        open_one.save(update_fields=["recommendation", "recommended_scope", "reason", "updated_at"])
        return
    same.filter(
        status=DecisionStatus.DECIDED, outcome__in=[Outcome.DECLINED, Outcome.DEFERRED]
    ).update(status=DecisionStatus.SUPERSEDED)
    decisions.decision_open(
        incident=incident,
        decision_type=decision_type,
        actor=actor,
        recommendation=Recommendation.APPROVE,
        recommended_scope=scope,
        opened_by_rule="D-1b",
        reason=reason,
        at=at,
    )
