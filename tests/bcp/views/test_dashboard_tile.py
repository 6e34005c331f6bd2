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


def _an_incident(organisation, actor):
    from incidents.services import records

    records.incident_declare(organisation=organisation, actor=actor, title="x", category="OTHER")


def _every_deciding_role_held(organisation):
    _holder(organisation, "LEGAL_PRIVACY", "legal")
    _holder(organisation, "LEGAL_PRIVACY", "legal2", priority=2)


def test_the_roles_tile_warns_when_the_csirt_lead_has_no_deputy(
    as_user, isms_office, organisation, decision_maker, deputy, csirt_lead
):
    _an_incident(organisation, isms_office)  # the tile shows beside the incident tiles
    _every_deciding_role_held(organisation)
    page = as_user(isms_office).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["roles_without_deputy"] == ["CSIRT lead"]
    assert "No deputy available for:" in page.text
    assert "Every deciding role has someone available now" not in page.text


def test_an_absent_deputy_is_no_deputy(
    as_user, isms_office, organisation, decision_maker, deputy, csirt_lead, absent
):
    _every_deciding_role_held(organisation)
    _holder(organisation, "CSIRT_LEAD", "lead2", priority=2)
    absent(deputy)
    page = as_user(isms_office).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["roles_without_deputy"] == ["Decision maker"]


def test_the_roles_tile_ticks_only_when_every_deciding_role_has_a_deputy(
    as_user, isms_office, organisation, decision_maker, deputy, csirt_lead
):
    _an_incident(organisation, isms_office)
    _every_deciding_role_held(organisation)
    _holder(organisation, "CSIRT_LEAD", "lead2", priority=2)
    page = as_user(isms_office).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["roles_without_deputy"] == []
    assert "Every deciding role has someone available now, and a deputy." in page.text


def test_the_roster_marks_a_deciding_role_without_a_deputy(as_user, isms_office, csirt_lead):
    page = as_user(isms_office).get("/roster/", HTTP_ACCEPT_LANGUAGE="en")
    assert "No deputy available" in page.text
