"""Issue 16 item 6: legal/privacy, PR and department managers see the incidents where they hold
a task, a decision or an obligation — and no other, and never another organisation's."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.roles import Role
from incidents import selectors as incident_selectors
from incidents.models import Task
from incidents.services import records, tasks
from privacy.services import leaks
from tests.conftest import _holder
from tests.factories import OrganisationFactory


def holding_nothing(*incidents) -> None:
    """The level-1 checklist gives legal a task on every incident (L1-12, the APPI screening):
    these incidents hold nothing for anyone outside the response team."""
    Task.objects.filter(incident__in=incidents).exclude(owner_role__in=RESPONSE_TEAM).delete()


RESPONSE_TEAM = ("ISMS_OFFICE", "CSIRT_LEAD", "INCIDENT_HANDLER", "IT_ADMIN", "POC")


def _page(user, incident) -> int:
    client = Client()
    client.force_login(user)
    return client.get(f"/incidents/{incident.ref}/").status_code


@pytest.fixture
def quiet(organisation, isms_office):
    return records.incident_declare(
        organisation=organisation, actor=isms_office, title="無関係", category="OTHER"
    )


def test_legal_sees_every_incident_where_the_checklist_gives_legal_the_appi_screening(
    case, quiet, legal
):
    assert set(incident_selectors.incidents_visible_to(legal)) == {case, quiet}


def test_legal_sees_the_incident_its_obligations_and_its_decision(
    case, customers, isms_office, legal, quiet
):
    holding_nothing(case, quiet)
    assert _page(legal, case) == 404
    leaks.data_leak_record(
        incident=case, actor=isms_office, data_set=customers, kind="EXFIL_SUSPECTED"
    )
    visible = set(incident_selectors.incidents_visible_to(legal))
    assert visible == {case}
    assert _page(legal, case) == 200
    client = Client()
    client.force_login(legal)
    assert client.get(f"/incidents/{case.ref}/privacy/").status_code == 200
    rows = client.get("/api/v1/obligations/?view=mine").json()["results"]
    assert {row["incident"] for row in rows} == {case.ref}
    assert _page(legal, quiet) == 404


def test_pr_sees_only_the_incident_where_pr_holds_a_task(case, quiet, isms_office, pr):
    holding_nothing(case, quiet)
    tasks.task_create(
        incident=case, actor=isms_office, title="想定問答作成", code="L3-PR", owner_role=Role.PR
    )
    assert set(incident_selectors.incidents_visible_to(pr)) == {case}
    assert _page(pr, case) == 200
    assert _page(pr, quiet) == 404


def test_a_department_manager_sees_an_incident_through_a_task_of_their_own(
    organisation, case, quiet, isms_office
):
    holding_nothing(case, quiet)
    manager = _holder(organisation, Role.DEPT_MANAGER, "manager")
    tasks.task_create(
        incident=case, actor=isms_office, title="部門長への状況共有", code="N-2", owner=manager
    )
    assert set(incident_selectors.incidents_visible_to(manager)) == {case}


def test_no_role_sees_another_organisations_incident(case, customers, isms_office):
    leaks.data_leak_record(
        incident=case, actor=isms_office, data_set=customers, kind="EXFIL_SUSPECTED"
    )
    tasks.task_create(incident=case, actor=isms_office, title="広報", owner_role=Role.PR)
    elsewhere = OrganisationFactory(name="別会社")
    other_legal = _holder(elsewhere, Role.LEGAL_PRIVACY, "legal2")
    other_pr = _holder(elsewhere, Role.PR, "pr2")
    for user in (other_legal, other_pr):
        assert list(incident_selectors.incidents_visible_to(user)) == []
        assert _page(user, case) == 404


def test_pr_who_sees_an_incident_through_a_task_records_no_obligation_on_it(case, isms_office, pr):
    from rest_framework.test import APIClient

    from privacy.models import Obligation

    tasks.task_create(
        incident=case, actor=isms_office, title="想定問答作成", code="L3-PR", owner_role=Role.PR
    )
    client = APIClient()
    client.force_login(pr)
    answer = client.post(
        "/api/v1/obligations/",
        {"incident": case.ref, "kind": "CONTRACTUAL_NOTICE", "owner_role": "PR"},
        format="json",
    )
    assert answer.status_code == 403
    assert not Obligation.objects.filter(incident=case, kind="CONTRACTUAL_NOTICE").exists()
