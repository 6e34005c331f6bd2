import pytest

from incidents import lifecycle
from incidents.lifecycle import IncidentFacts
from incidents.models.enums import IncidentStatus

ALL = IncidentStatus.values
READY = IncidentFacts(any_asset_isolated=True, recurrence_prevention_written=True)


@pytest.mark.parametrize("current", ALL)
@pytest.mark.parametrize("target", ALL)
def test_only_transitions_of_the_table_exist(current, target):
    result = lifecycle.failed_guards(current, target, READY)
    if (current, target) in lifecycle.TRANSITIONS:
        assert result == []
    else:
        assert result is None


@pytest.mark.parametrize(
    ("transition", "facts", "code"),
    [
        (("DECLARED", "CONTAINING"), IncidentFacts(), "G-CONTAINMENT-STARTED"),
        (
            ("CONTAINING", "ERADICATING"),
            IncidentFacts(all_infected_isolated=False),
            "G-ALL-ISOLATED",
        ),
        (
            ("ERADICATING", "RECOVERING"),
            IncidentFacts(all_infected_remediated=False),
            "G-REMEDIATED",
        ),
        (
            ("ERADICATING", "RECOVERING"),
            IncidentFacts(all_network_indicators_blocked=False),
            "G-REMEDIATED",
        ),
        (("RECOVERING", "MONITORING"), IncidentFacts(bcp_fully_activated=True), "G-RESTORED"),
        (
            ("REVIEWING", "CLOSED"),
            IncidentFacts(open_tasks=1, recurrence_prevention_written=True),
            "G-CHECKLIST-DONE",
        ),
        (("REVIEWING", "CLOSED"), IncidentFacts(), "G-RECURRENCE-NOTE"),
        (
            ("REVIEWING", "CLOSED"),
            IncidentFacts(recurrence_prevention_written=True, pending_ratifications=1),
            "G-RATIFIED",
        ),
    ],
)
def test_each_guard_refuses_when_its_condition_fails(transition, facts, code):
    failed = lifecycle.failed_guards(*transition, facts)
    assert code in [g.code for g in failed]


def test_closed_is_terminal():
    assert lifecycle.allowed_targets("CLOSED") == []
