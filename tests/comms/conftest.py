"""People who write, approve and send communications, and a way to approve the announcement."""

import pytest

from accounts.roles import Role
from bcp.services import decisions
from tests.bcp.conftest import absent, third  # noqa: F401
from tests.conftest import _holder
from tests.incidents.conftest import PHISH, file_report, incident  # noqa: F401


@pytest.fixture
def pr(organisation):
    return _holder(organisation, Role.PR, "pr")


def pr_task(record, actor):
    """PR sees an incident (and its communications) where PR holds a task (issue 16)."""
    from incidents.services import tasks

    return tasks.task_create(
        incident=record, actor=actor, title="想定問答作成", code="L3-PR", owner_role=Role.PR
    )


def announcement(record, decision_maker, outcome="APPROVED"):
    opened = decisions.decision_open(incident=record, decision_type="PUBLIC_ANNOUNCEMENT")
    return decisions.decision_decide(
        decision=opened, actor=decision_maker, outcome=outcome, rationale="公表する"
    )


def written(communication, actor):
    """The draft with every 【要記入】 gap written (approval refuses gaps)."""
    import re

    from comms.services import communications

    body = re.sub(r"【要記入：([^】]*)】", r"\1：記入済み", communication.body)
    return communications.communication_update(
        communication=communication, actor=actor, changes={"body": body}
    )
