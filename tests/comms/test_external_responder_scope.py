"""An external responder's account (the IT vendor under contract, role EXTERNAL_RESPONDER) sees
the incidents it is assigned to by name, not every incident with a task addressed to the role
(docs/architecture.md, "Outside parties")."""

import pytest

from accounts.roles import Role
from incidents import selectors
from incidents.services import tasks
from tests.comms.test_guests import second_incident  # noqa: F401
from tests.conftest import _holder


@pytest.fixture
def vendor(organisation):
    return _holder(organisation, Role.EXTERNAL_RESPONDER, "vendor")


def test_a_task_for_the_role_opens_no_incident_to_the_external_responder(
    client,
    incident,
    isms_office,
    vendor,
):
    tasks.task_create(
        incident=incident,
        actor=isms_office,
        title="ベンダーへ調査依頼",
        owner_role="EXTERNAL_RESPONDER",
    )
    assert not selectors.incidents_visible_to(vendor).exists()
    client.force_login(vendor)
    assert client.get(f"/incidents/{incident.ref}/").status_code == 404


def test_the_external_responder_sees_the_incident_of_a_task_assigned_by_name_only(
    client,
    incident,
    second_incident,  # noqa: F811
    isms_office,
    vendor,
):
    tasks.task_create(
        incident=second_incident, actor=isms_office, title="調査", owner_role="EXTERNAL_RESPONDER"
    )
    tasks.task_create(incident=incident, actor=isms_office, title="ログ提出", owner=vendor)
    assert list(selectors.incidents_visible_to(vendor)) == [incident]
    client.force_login(vendor)
    assert client.get(f"/incidents/{incident.ref}/").status_code == 200
    assert client.get(f"/incidents/{second_incident.ref}/").status_code == 404


def test_the_external_responder_sees_an_incident_it_handles(incident, second_incident, vendor):  # noqa: F811
    incident.handlers.add(vendor)
    assert list(selectors.incidents_visible_to(vendor)) == [incident]


def test_pr_still_sees_the_incidents_of_tasks_addressed_to_pr(incident, isms_office, organisation):
    pr = _holder(organisation, Role.PR, "pr")
    tasks.task_create(incident=incident, actor=isms_office, title="想定問答", owner_role="PR")
    assert list(selectors.incidents_visible_to(pr)) == [incident]
