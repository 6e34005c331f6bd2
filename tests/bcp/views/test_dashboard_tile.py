"""The dashboard flags roles that nobody can take right now."""

from tests.conftest import _holder


def test_the_dashboard_warns_of_roles_without_an_available_holder(
    as_user, isms_office, decision_maker, csirt_lead, absent
):
    absent(decision_maker)
    page = as_user(isms_office).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Roles without an available holder" in page.text
    assert page.context["uncovered_roles"] == ["Decision maker", "Legal and privacy"]
    assert "/roster/" in page.text


def test_no_warning_when_every_deciding_role_has_someone(
    as_user, isms_office, organisation, decision_maker, csirt_lead
):
    _holder(organisation, "LEGAL_PRIVACY", "legal")
    page = as_user(isms_office).get("/")
    assert page.context["uncovered_roles"] == []
    assert "uncovered-roles" not in page.text


def test_a_reporter_is_not_shown_the_roster_warning(as_user, reporter):
    page = as_user(reporter).get("/")
    assert page.context["uncovered_roles"] == []
