"""Each role's home puts its own work first: decisions for decision makers, triage and the
alerts for the ISMS office, the report button and training due for workers."""

import re
from datetime import date, timedelta

import pytest

from privacy.models import Obligation
from tests.conftest import _holder
from tests.factories import RoleAssignmentFactory
from tests.training.conftest import basics_course, make_person, units  # noqa: F401


def _tiles(client):
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="en").text
    return re.findall(r'<section class="card tile[^"]*" id="tile-([\w-]+)"', text)


def test_a_decision_maker_sees_the_decisions_waiting_for_them_first(as_user, decision_maker, seed):
    incidents = seed.incidents(2, status="CONTAINING", level=2)
    seed.decisions(incidents, assignee=decision_maker)
    tiles = _tiles(as_user(decision_maker))
    assert tiles[:2] == ["my-decisions", "decisions"]


def test_the_decisions_waiting_for_someone_link_to_each_decision(as_user, decision_maker, seed):
    incidents = seed.incidents(2, status="CONTAINING", level=2)
    decisions = seed.decisions(incidents, assignee=decision_maker)
    page = as_user(decision_maker).get("/")
    assert page.context["my_decisions"].count == 2
    for decision in decisions:
        assert f'href="/decisions/{decision.pk}/"' in page.text


def test_the_isms_office_sees_triage_and_alerts_first(as_user, isms_office, seed):
    seed.reports(2)
    seed.alerts(1)
    assert _tiles(as_user(isms_office))[:2] == ["triage", "alerts"]


def test_a_handler_sees_the_overdue_tasks_first(as_user, handler, seed):
    assert _tiles(as_user(handler))[0] == "tasks"


def test_legal_sees_its_decisions_then_the_report_button(as_user, organisation):
    legal = _holder(organisation, "LEGAL_PRIVACY", "legal")
    assert _tiles(as_user(legal)) == ["my-decisions", "report"]


def test_a_worker_sees_the_report_button_then_the_training_due(
    as_user,
    reporter,
    basics_course,  # noqa: F811
    make_person,  # noqa: F811
):
    make_person(user=reporter, start=date.today() - timedelta(days=7))
    page = as_user(reporter).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert _tiles(as_user(reporter)) == ["report", "my-training"]
    assert [row.course for row in page.context["my_training"]] == [basics_course]
    assert "標的型攻撃メールの基本動作" in page.text


def test_a_worker_outside_the_training_register_sees_only_the_report_button(as_user, reporter):
    assert _tiles(as_user(reporter)) == ["report"]


@pytest.mark.parametrize("fixture", ["isms_office", "handler"])
def test_the_report_page_offers_responders_their_full_form(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert 'href="/reports/new/"' in client.get("/report/").text


def test_the_report_page_offers_a_worker_only_the_one_tap_report(client, reporter):
    client.force_login(reporter)
    assert "/reports/new/" not in client.get("/report/").text


def test_the_office_s_home_follows_a_change_of_its_own_address_to_its_training_record(
    as_user,
    isms_office,
    basics_course,  # noqa: F811
    make_person,  # noqa: F811
):
    """The office's tiles are compiled once per user (common.fold.kept): the key holds what
    they read of the user, so a new address finds the register's row with that address."""
    make_person(email="office-new@example.com", start=date.today() - timedelta(days=7))
    client = as_user(isms_office)
    assert "my-training" not in _tiles(client)
    isms_office.email = "office-new@example.com"
    isms_office.save(update_fields=["email"])
    assert "my-training" in _tiles(client)


def test_the_office_s_home_follows_a_role_it_is_given_to_that_role_s_obligations(
    as_user, isms_office, organisation, seed
):
    """The office's tiles are compiled once per user: the key holds its role assignments, so
    an obligation owned by a role it takes on shows on its next load."""
    incident = seed.incidents(1, status="CONTAINING", level=3)[0]
    owed = Obligation.objects.create(
        organisation=organisation,
        incident=incident,
        kind="PPC_SOKUHO",
        owner_role="LEGAL_PRIVACY",
        due_at=seed.now + timedelta(days=3),
    )
    client = as_user(isms_office)
    assert owed not in client.get("/").context["obligations"]
    RoleAssignmentFactory(organisation=organisation, user=isms_office, role="LEGAL_PRIVACY")
    assert owed in client.get("/").context["obligations"]
