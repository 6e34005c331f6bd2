"""First decision wins; the sweep reassigns once — on two real PostgreSQL connections."""

from datetime import timedelta

import pytest
import time_machine

from bcp.models import Decision, DecisionAssignment
from bcp.services import decisions
from bcp.services.sweep import decisions_sweep
from common.errors import Conflict
from tests.incidents.test_concurrency import _race

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_deciders_at_once_one_wins_one_gets_409(incident, decision_maker, deputy):
    decision = decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
    results = _race(
        [
            lambda: decisions.decision_decide(
                decision=decision, actor=decision_maker, outcome="APPROVED", rationale="a"
            ),
            lambda: decisions.decision_decide(
                decision=decision, actor=deputy, outcome="DECLINED", rationale="b"
            ),
        ]
    )
    assert sum(isinstance(r, Decision) for r in results) == 1
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(losers) == 1 and losers[0].code == "DECISION_ALREADY_DECIDED"


def test_two_sweeps_in_parallel_make_exactly_one_reassignment(incident, decision_maker, deputy):
    decision = decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
    with time_machine.travel(decision.due_at + timedelta(seconds=5), tick=False):
        results = _race([decisions_sweep, decisions_sweep, decisions_sweep])
    assert sum(r.reassigned for r in results) == 1, results
    assert (
        DecisionAssignment.objects.filter(decision=decision, reason="DEADLINE_EXPIRED").count() == 1
    )
