import pytest

from incidents import lifecycle
from incidents.lifecycle import IncidentFacts
from incidents.models.enums import IncidentStatus

ALL = IncidentStatus.values
READY = IncidentFacts(any_asset_isolated=True, review_complete=True)
CLOSE = ("REVIEWING", "CLOSED")


def _reviewed(**facts) -> IncidentFacts:
    return IncidentFacts(review_complete=True, **facts)


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
        (CLOSE, IncidentFacts(), "C1-REVIEW"),
        (CLOSE, _reviewed(open_obligations=1), "C1-OBLIGATIONS"),
        (CLOSE, _reviewed(open_decisions=1), "C1-NO-OPEN-DECISION"),
        (CLOSE, _reviewed(pending_ratifications=1), "C1-RATIFIED"),
        (CLOSE, _reviewed(bcp_settled=False), "C1-BCP-SETTLED"),
        (CLOSE, _reviewed(all_assets_restored=False), "C1-ASSETS-RESTORED"),
        (CLOSE, _reviewed(management_review_required=True), "M1-CORRECTIVE-ACTION"),
    ],
)
def test_each_guard_refuses_when_its_condition_fails(transition, facts, code):
    failed = lifecycle.failed_guards(*transition, facts)
    assert code in [g.code for g in failed]


def test_a_closed_incident_can_only_be_reopened_into_containment():
    assert lifecycle.allowed_targets("CLOSED") == ["CONTAINING"]
    assert lifecycle.REOPEN in lifecycle.REASON_REQUIRED


def test_open_tasks_do_not_block_closing():
    assert (
        lifecycle.failed_guards(
            "REVIEWING", "CLOSED", IncidentFacts(review_complete=True, open_tasks=3)
        )
        == []
    )


def test_m1_holds_with_a_corrective_action_or_when_the_review_is_not_required():
    needed = IncidentFacts(review_complete=True, management_review_required=True)
    met = IncidentFacts(
        review_complete=True, management_review_required=True, corrective_action_or_reason=True
    )
    assert [g.code for g in lifecycle.failed_guards("REVIEWING", "CLOSED", needed)] == [
        "M1-CORRECTIVE-ACTION"
    ]
    assert lifecycle.failed_guards("REVIEWING", "CLOSED", met) == []
