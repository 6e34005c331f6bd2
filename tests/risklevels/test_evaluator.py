"""The evaluator, table-tested by rule id, plus properties (hypothesis)."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risklevels.evaluator import AssetFact, LeakFact, Params, Snapshot, evaluate

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
P = Params()


def pc(n, state="SUSPECTED", via="MAIL", infected=T0, isolated=None):
    return AssetFact(
        n, f"PC-{n}", "PC", state, via, infected if state != "NONE" else None, isolated
    )


@pytest.mark.parametrize(
    ("snapshot", "expected_rules", "level"),
    [
        pytest.param(Snapshot(), [], 1, id="L-1 nothing known stays at level 1"),
        pytest.param(Snapshot(assets=(pc(1),)), [], 1, id="one infected PC is level 1"),
        pytest.param(Snapshot(assets=(pc(1), pc(2))), ["L2-a"], 2, id="L2-a two infected PCs"),
        pytest.param(
            Snapshot(assets=(pc(1), pc(2, "NONE"))), [], 1, id="L2-a uninfected assets do not count"
        ),
        pytest.param(
            Snapshot(assets=(pc(1, isolated=T0), pc(2, infected=T0 + timedelta(minutes=40)))),
            ["L2-a", "L2-b"],
            2,
            id="L2-b new infection after an isolation",
        ),
        pytest.param(
            Snapshot(
                assets=(pc(1, "NONE", isolated=T0), pc(2, infected=T0 + timedelta(minutes=1)))
            ),
            ["L2-b"],
            2,
            id="L2-b isolation of a not-yet-infected asset counts",
        ),
        pytest.param(
            Snapshot(assets=(pc(1, isolated=T0 + timedelta(minutes=5)), pc(2, "NONE"))),
            [],
            1,
            id="L2-b needs the isolation before the infection",
        ),
        pytest.param(
            Snapshot(
                assets=(
                    pc(1, infected=T0, isolated=T0 + timedelta(minutes=20)),
                    pc(2, infected=T0 + timedelta(minutes=10)),
                )
            ),
            ["L2-a"],
            2,
            id="L2-b an isolation after the other infection is not the trend",
        ),
        pytest.param(Snapshot(assets=(pc(1, via="LATERAL"),)), ["L2-c"], 2, id="L2-c lateral"),
        pytest.param(Snapshot(external_comm_status="SUSPECTED"), ["L2-d"], 2, id="L2-d suspected"),
        pytest.param(Snapshot(external_comm_status="CONFIRMED"), ["L2-d"], 2, id="L2-d confirmed"),
        pytest.param(
            Snapshot(leaks=(LeakFact("SUSPECTED", 1, "PC"),)),
            ["L2-e"],
            2,
            id="L3-a correction: a suspected leak from one PC stays at level 2",
        ),
        pytest.param(
            Snapshot(leaks=(LeakFact("SUSPECTED", 1, "PC"), LeakFact("SUSPECTED", 2, "PC"))),
            ["L3-a"],
            3,
            id="L3-a leak from two PCs",
        ),
        pytest.param(
            Snapshot(leaks=(LeakFact("SUSPECTED", 9, "FILE_SERVER"),)),
            ["L3-a"],
            3,
            id="L3-a leak from the file server",
        ),
        pytest.param(
            Snapshot(leaks=(LeakFact("SUSPECTED", None, None),)),
            ["L3-a"],
            3,
            id="L3-a leak from a shared store",
        ),
        pytest.param(
            Snapshot(leaks=(LeakFact("CONFIRMED", 1, "PC", personal_data=True),)),
            ["L3-a"],
            3,
            id="L3-a confirmed personal-data leak from one PC",
        ),
        pytest.param(
            Snapshot(
                assets=(
                    AssetFact(
                        9,
                        "FS-1",
                        "FILE_SERVER",
                        "COMPROMISED",
                        holds_sensitive_data=True,
                        infected_observed_at=T0,
                    ),
                )
            ),
            ["L3-b"],
            3,
            id="L3-b file server compromised",
        ),
        pytest.param(
            Snapshot(
                assets=(
                    AssetFact(9, "FS-1", "FILE_SERVER", "COMPROMISED", infected_observed_at=T0),
                )
            ),
            [],
            1,
            id="L3-b needs sensitive data",
        ),
        pytest.param(Snapshot(level=3), [], 3, id="L-D rules never lower below the level"),
    ],
)
def test_rules_by_id(snapshot, expected_rules, level):
    result = evaluate(snapshot, P)
    assert result.rule_ids == expected_rules
    assert result.recommended_level == level


def test_parameters_switch_rules_off_and_move_thresholds():
    snap = Snapshot(
        assets=(pc(1, isolated=T0), pc(2, infected=T0 + timedelta(minutes=1))),
        external_comm_status="SUSPECTED",
    )
    params = Params(
        version=7, infected_threshold=3, trend_rule=False, external_comm_trigger="CONFIRMED"
    )
    result = evaluate(snap, params)
    assert result.rule_ids == []
    assert result.params_version == 7


states = st.sampled_from(["NONE", "SUSPECTED", "CONFIRMED", "COMPROMISED"])
minutes = st.integers(min_value=0, max_value=600)


@st.composite
def assets(draw):
    n = draw(st.integers(min_value=0, max_value=6))
    out = []
    for i in range(n):
        state = draw(states)
        infected = T0 + timedelta(minutes=draw(minutes)) if state != "NONE" else None
        isolated = T0 + timedelta(minutes=draw(minutes)) if draw(st.booleans()) else None
        out.append(
            AssetFact(
                i,
                f"PC-{i}",
                draw(st.sampled_from(["PC", "FILE_SERVER"])),
                state,
                draw(st.sampled_from(["MAIL", "LATERAL", "UNKNOWN"])),
                infected,
                isolated,
                draw(st.booleans()),
            )
        )
    return tuple(out)


@settings(max_examples=200, deadline=None)
@given(assets(), st.integers(min_value=1, max_value=3), st.integers(min_value=0, max_value=600))
def test_adding_an_infection_never_lowers_the_recommendation(existing, level, at):
    before = evaluate(Snapshot(level=level, assets=existing), P).recommended_level
    added = AssetFact(99, "PC-99", "PC", "SUSPECTED", "MAIL", T0 + timedelta(minutes=at))
    after = evaluate(Snapshot(level=level, assets=(*existing, added)), P).recommended_level
    assert after >= before


@settings(max_examples=200, deadline=None)
@given(assets(), st.integers(min_value=1, max_value=3))
def test_recommendation_never_falls_below_the_current_level(existing, level):
    assert evaluate(Snapshot(level=level, assets=existing), P).recommended_level >= level


@settings(max_examples=200, deadline=None)
@given(assets(), st.randoms())
def test_result_does_not_depend_on_the_order_facts_arrived(existing, rnd):
    shuffled = list(existing)
    rnd.shuffle(shuffled)
    assert evaluate(Snapshot(assets=existing), P) == evaluate(Snapshot(assets=tuple(shuffled)), P)


M = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("snapshot", "rule_id", "since"),
    [
        pytest.param(
            Snapshot(assets=(pc(1, infected=T0 + 30 * M), pc(2, infected=T0 + 10 * M))),
            "L2-a",
            T0 + 30 * M,
            id="L2-a when the threshold-th infection was seen",
        ),
        pytest.param(
            Snapshot(
                assets=(
                    pc(1, isolated=T0),
                    pc(2, infected=T0 + 50 * M),
                    pc(3, infected=T0 + 20 * M),
                )
            ),
            "L2-b",
            T0 + 20 * M,
            id="L2-b the first infection seen after another asset's isolation",
        ),
        pytest.param(
            Snapshot(external_comm_status="CONFIRMED", external_comm_since=(("SUSPECTED", T0),)),
            "L2-d",
            T0,
            id="L2-d the first outside communication",
        ),
        pytest.param(
            Snapshot(
                leaks=(
                    LeakFact("SUSPECTED", 1, "PC", observed_at=T0 + 5 * M),
                    LeakFact("SUSPECTED", 1, "PC", observed_at=T0 + 7 * M),
                    LeakFact("SUSPECTED", 2, "PC", observed_at=T0 + 9 * M),
                )
            ),
            "L3-a",
            T0 + 9 * M,
            id="L3-a when the second PC's leak was seen",
        ),
    ],
)
def test_each_rule_says_since_when_it_holds(snapshot, rule_id, since):
    fired = {rule.rule_id: rule.since for rule in evaluate(snapshot, P).fired}
    assert fired[rule_id] == since
