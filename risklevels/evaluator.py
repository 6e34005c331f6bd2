"""The escalation evaluator: facts → recommended level and the rules that fired.

Pure and deterministic: no database, no clock (the snapshot carries the times). The same
snapshot gives the same answer whatever order its facts arrived in. Rule ids are those of
DOMAIN-MODEL §3.3, with the L3-a correction at the top of that page.

Each fired rule also says *since when* its condition holds on the organisation's clock: the
``observed_at`` of the last fact it needs (the second infection for L2-a, the new infection for
L2-b …). A fact typed in late, or out of order, therefore dates the rule, its decisions and its
checklist from when it was learned, not from when it was entered (§3: "t" is ``observed_at``).
``since`` is None when the snapshot cannot tell (the engine then uses the event's time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

EFFECTIVE = frozenset({"SUSPECTED", "CONFIRMED", "COMPROMISED"})
SERVER_KINDS = frozenset({"SERVER", "FILE_SERVER"})
DATA_SET = "DATA_SET"  # a leak of a data set of the inventory (``LeakFact.asset_kind``)
SUSPICION_RANK = {"NONE": 0, "SUSPECTED": 1, "CONFIRMED": 2}


@dataclass(frozen=True)
class AssetFact:
    asset_id: int
    label: str
    kind: str = "PC"
    infection_state: str = "NONE"
    infection_via: str = "UNKNOWN"
    infected_observed_at: datetime | None = None  # when it first became effective
    isolated_at: datetime | None = None
    holds_sensitive_data: bool = False

    @property
    def effective(self) -> bool:
        return self.infection_state in EFFECTIVE


@dataclass(frozen=True)
class LeakFact:
    status: str  # SUSPECTED / CONFIRMED
    asset_id: int | None = None
    asset_kind: str | None = None  # None = a shared data store / unknown source
    personal_data: bool = False
    observed_at: datetime | None = None
    # A leak of a data set of the inventory (asset_kind DATA_SET) that holds customer, personal
    # or company-confidential data (L3-a "for any DataSet").
    data_set: bool = False


@dataclass(frozen=True)
class Snapshot:
    level: int = 1
    assets: tuple[AssetFact, ...] = ()
    external_comm_status: str = "NONE"
    leaks: tuple[LeakFact, ...] = ()
    # The number of effectively infected assets when ``assets`` holds only a sample of them
    # (the database snapshot stays small at 10 000 assets); None = count ``assets``.
    infected_total: int | None = None
    # The earliest infection times (as many as the L2-a threshold) when ``assets`` is a
    # sample; None = read them from ``assets``.
    earliest_infections: tuple[datetime, ...] | None = None
    # When external communication was first seen at each status (a status counts from the
    # first fact at it or above): (("SUSPECTED", t1), ("CONFIRMED", t2)).
    external_comm_since: tuple[tuple[str, datetime], ...] = ()


@dataclass(frozen=True)
class Params:
    version: int = 1
    infected_threshold: int = 2
    trend_rule: bool = True
    external_comm_trigger: str = "SUSPECTED"  # the least status that fires L2-d
    leak_trigger: str = "SUSPECTED"  # the least status that fires L3-a
    personal_data_store_rule: bool = True


@dataclass(frozen=True)
class FiredRule:
    rule_id: str
    target: int
    # Values for the explanation; sorted tuples keep the result hashable and order-free.
    detail: tuple[tuple[str, object], ...] = field(default=())
    # Since when the condition holds (observed time of the last fact it needs), if known.
    since: datetime | None = None

    def detail_dict(self) -> dict[str, object]:
        return dict(self.detail)


@dataclass(frozen=True)
class Evaluation:
    recommended_level: int
    fired: tuple[FiredRule, ...]
    params_version: int

    @property
    def rule_ids(self) -> list[str]:
        return [rule.rule_id for rule in self.fired]


def evaluate(snapshot: Snapshot, params: Params) -> Evaluation:
    fired = [rule for check in RULES if (rule := check(snapshot, params)) is not None]
    fired.sort(key=lambda rule: rule.rule_id)
    target = max([snapshot.level, *(rule.target for rule in fired)])
    return Evaluation(recommended_level=target, fired=tuple(fired), params_version=params.version)


def _labels(assets: list[AssetFact]) -> str:
    return ", ".join(sorted(a.label for a in assets))


def _earliest(assets: list[AssetFact]) -> datetime | None:
    times = [a.infected_observed_at for a in assets if a.infected_observed_at]
    return min(times) if times else None


def rule_l2a(s: Snapshot, p: Params) -> FiredRule | None:
    """L2-a: the number of effectively infected assets reaches the threshold."""
    infected = [a for a in s.assets if a.effective]
    total = len(infected) if s.infected_total is None else s.infected_total
    if total < p.infected_threshold:
        return None
    times = (
        sorted(a.infected_observed_at for a in infected if a.infected_observed_at)
        if s.earliest_infections is None
        else list(s.earliest_infections)
    )
    since = times[p.infected_threshold - 1] if len(times) >= p.infected_threshold else None
    return FiredRule(
        "L2-a",
        2,
        (
            ("count", total),
            ("threshold", p.infected_threshold),
            ("assets", _labels(sorted(infected, key=lambda a: a.asset_id)[:5])),
        ),
        since,
    )


def rule_l2b(s: Snapshot, p: Params) -> FiredRule | None:
    """L2-b (trend): an asset became infected after another one had already been isolated."""
    if not p.trend_rule:
        return None
    for late in sorted(
        (a for a in s.assets if a.effective and a.infected_observed_at),
        key=lambda a: (a.infected_observed_at, a.asset_id),
    ):
        earlier = sorted(
            (
                a
                for a in s.assets
                if a.asset_id != late.asset_id
                and a.isolated_at
                and a.isolated_at < late.infected_observed_at
            ),
            key=lambda a: (a.isolated_at, a.asset_id),
        )
        if earlier:
            return FiredRule(
                "L2-b",
                2,
                (("isolated", earlier[0].label), ("new", late.label)),
                late.infected_observed_at,
            )
    return None


def rule_l2c(s: Snapshot, p: Params) -> FiredRule | None:
    """L2-c: a secondary (lateral) infection."""
    lateral = [a for a in s.assets if a.effective and a.infection_via == "LATERAL"]
    if not lateral:
        return None
    return FiredRule("L2-c", 2, (("assets", _labels(lateral)),), _earliest(lateral))


def rule_l2d(s: Snapshot, p: Params) -> FiredRule | None:
    """L2-d: suspected or confirmed unauthorised communication to the outside."""
    if SUSPICION_RANK.get(s.external_comm_status, 0) < SUSPICION_RANK[p.external_comm_trigger]:
        return None
    since = dict(s.external_comm_since).get(p.external_comm_trigger)
    return FiredRule("L2-d", 2, (("status", s.external_comm_status),), since)


def _leaks_over_trigger(s: Snapshot, p: Params) -> list[LeakFact]:
    return [
        leak
        for leak in s.leaks
        if SUSPICION_RANK.get(leak.status, 0) >= SUSPICION_RANK[p.leak_trigger]
    ]


def rule_l3a(s: Snapshot, p: Params) -> FiredRule | None:
    """L3-a: a leak from a server or shared store, from two or more PCs, or of personal data
    confirmed. A suspected leak confined to one PC is level 2 (L2-e), per the correction."""
    leaks = _leaks_over_trigger(s, p)
    if not leaks:
        return None
    servers = [
        leak
        for leak in leaks
        if leak.asset_kind is None or leak.asset_kind in SERVER_KINDS or leak.data_set
    ]
    pcs = {
        leak.asset_id
        for leak in leaks
        if leak.asset_kind not in SERVER_KINDS and leak.asset_kind not in (None, DATA_SET)
    }
    personal = [leak for leak in leaks if leak.status == "CONFIRMED" and leak.personal_data]
    if not (servers or len(pcs) >= 2 or personal):
        return None
    reason = "server" if servers else ("pcs" if len(pcs) >= 2 else "personal")
    if any(leak.data_set for leak in servers):
        reason = "data_set"
    return FiredRule("L3-a", 3, (("pcs", len(pcs)), ("reason", reason)), _l3a_since(leaks))


def _l3a_since(leaks: list[LeakFact]) -> datetime | None:
    """The first moment one of L3-a's three conditions held."""
    seen = [leak for leak in leaks if leak.observed_at is not None]
    first_per_pc: dict[int | None, datetime] = {}
    for leak in seen:
        if leak.asset_kind not in (None, DATA_SET) and leak.asset_kind not in SERVER_KINDS:
            at = first_per_pc.get(leak.asset_id)
            first_per_pc[leak.asset_id] = min(at, leak.observed_at) if at else leak.observed_at
    pcs = sorted(first_per_pc.values())
    moments = [
        *(
            x.observed_at
            for x in seen
            if x.asset_kind is None or x.asset_kind in SERVER_KINDS or x.data_set
        ),
        *(x.observed_at for x in seen if x.status == "CONFIRMED" and x.personal_data),
        *pcs[1:2],
    ]
    return min(moments) if moments else None  # type: ignore[type-var]


def rule_l2e(s: Snapshot, p: Params) -> FiredRule | None:
    """L2-e: a leak that L3-a does not cover (one PC's local data) still means level 2."""
    leaks = _leaks_over_trigger(s, p)
    if not leaks or rule_l3a(s, p) is not None:
        return None
    times = [leak.observed_at for leak in leaks if leak.observed_at is not None]
    return FiredRule("L2-e", 2, (), min(times) if times else None)


def rule_l3b(s: Snapshot, p: Params) -> FiredRule | None:
    """L3-b: a server or file server holding personal or confidential data is compromised."""
    if not p.personal_data_store_rule:
        return None
    hit = [
        a
        for a in s.assets
        if a.kind in SERVER_KINDS and a.holds_sensitive_data and a.infection_state == "COMPROMISED"
    ]
    if not hit:
        return None
    return FiredRule("L3-b", 3, (("assets", _labels(hit)),))


RULES = (rule_l2a, rule_l2b, rule_l2c, rule_l2d, rule_l2e, rule_l3a, rule_l3b)
