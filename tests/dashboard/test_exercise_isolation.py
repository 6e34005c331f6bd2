"""Issue 18 items 1–2: exercises never touch real operations.

With one real and one exercise object of every kind present, every real list, count, search,
triage target and inbox returns the real one only and the exercise's views the exercise one
only; a page that shows an exercise object carries the banner and the page colour."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from bcp import selectors as bcp_selectors
from dashboard.selectors import home, lists, tiles
from incidents import selectors as incident_selectors
from isms import selectors as isms_selectors
from isms.models import CorrectiveAction
from privacy import selectors as privacy_selectors
from privacy.models import Obligation
from tests.conftest import _holder


@pytest.fixture
def both(seed, decision_maker, legal, isms_office):
    office = isms_office
    """One real and one exercise object of every kind the real views read."""
    made = {}
    for exercise in (False, True):
        incident = seed.incidents(1, title="標的型メール 境界", is_exercise=exercise)[0]
        report = seed.reports(1)[0]
        report.incident = incident
        report.save(update_fields=["incident"])
        decision = seed.decisions([incident], assignee=decision_maker)[0]
        legal_decision = seed.decisions(
            [incident], assignee=legal, type="APPI_REPORTABILITY", required_role="LEGAL_PRIVACY"
        )[0]
        task = seed.tasks(incident, 1, due_in=-timedelta(hours=1))[0]
        alert = seed.alerts(1, on=incident)[0]
        activation = seed.bcp(incident, "DECISION_PENDING")
        obligation = Obligation.objects.create(
            organisation=seed.organisation,
            incident=incident,
            kind="PPC_SOKUHO",
            owner_role=Role.LEGAL_PRIVACY,
            due_at=seed.now - timedelta(hours=1),
        )
        action = CorrectiveAction.objects.create(
            organisation=seed.organisation,
            incident=incident,
            title="教育の見直し",
            due_on=seed.now.date(),
            risk_reference="R-1",
            owner=office,
            created_by=office,
        )
        made[exercise] = {
            "incident": incident.pk,
            "report": report.pk,
            "decision": decision.pk,
            "legal_decision": legal_decision.pk,
            "task": task.pk,
            "alert": alert.pk,
            "activation": activation.pk,
            "obligation": obligation.pk,
            "action": action.pk,
        }
    return made


@pytest.fixture
def legal(organisation):
    return _holder(organisation, "LEGAL_PRIVACY", "legal-exiso")


def _ids(rows):
    return {row.pk for row in rows}


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _real_views(office, decider, legal, now):
    """Each real read: (name, the kind it lists, what it returns as ids)."""
    today = now.date()
    return [
        (
            "corrective actions",
            "action",
            lambda: _ids(
                isms_selectors.corrective_action_list(user=office, view="all", today=today)
            ),
        ),
        ("incident list", "incident", lambda: _ids(lists.incident_rows(office))),
        ("incident search", "incident", lambda: _ids(lists.incident_rows(office, q="境界"))),
        ("report list", "report", lambda: _ids(lists.report_rows(office))),
        (
            "decision list",
            "decision+legal_decision",
            lambda: _ids(lists.decision_rows(office, now=now)),
        ),
        ("task list", "task", lambda: _ids(lists.task_rows(office, now=now))),
        ("alert list", "alert", lambda: _ids(lists.alert_rows(office))),
        (
            "attach targets",
            "incident",
            lambda: _ids(incident_selectors.incidents_open_for_attach(office)),
        ),
        (
            "decision inbox",
            "decision",
            lambda: _ids(bcp_selectors.decision_inbox(user=decider, at=now)),
        ),
        (
            "home decisions tile",
            "decision",
            lambda: _ids(home.my_decisions(user=decider, at=now).first),
        ),
        (
            "decisions tile",
            "decision+legal_decision",
            lambda: _ids(tiles.decisions_waiting(office, now).urgent),
        ),
        ("overdue tasks tile", "task", lambda: _ids(tiles.overdue_tasks(office, now).oldest)),
        ("bcp tile", "activation", lambda: _ids(tiles.bcp_overview(office).active)),
        (
            "obligation list",
            "obligation",
            lambda: _ids(privacy_selectors.obligation_list(user=office)),
        ),
        (
            "legal inbox",
            "obligation",
            lambda: _ids(privacy_selectors.legal_inbox(legal).obligations),
        ),
        (
            "legal inbox decisions",
            "legal_decision",
            lambda: _ids(privacy_selectors.legal_inbox(legal).decisions),
        ),
    ]


def test_every_real_list_search_tile_and_inbox_returns_the_real_object_only(
    both, isms_office, decision_maker, legal, seed
):
    for name, kind, read in _real_views(isms_office, decision_maker, legal, seed.now):
        assert read() == {both[False][k] for k in kind.split("+")}, name


def test_every_real_count_leaves_the_exercise_out(both, isms_office, decision_maker, seed):
    assert tiles.open_incidents(isms_office).total == 1
    assert tiles.decisions_waiting(isms_office, seed.now).open == 2  # both real ones
    assert tiles.overdue_tasks(isms_office, seed.now).count == 1
    assert tiles.alerts_waiting(isms_office).awaiting == 1
    assert home.my_decisions(user=decision_maker, at=seed.now).count == 1


def test_the_exercise_views_return_the_exercise_object_only(
    both, isms_office, decision_maker, seed
):
    drill = both[True]
    rows = lists.incident_rows(isms_office, exercise="exercise")
    assert _ids(rows) == {drill["incident"]}
    inbox = bcp_selectors.decision_inbox(user=decision_maker, at=seed.now, exercise=True)
    assert _ids(inbox) == {drill["decision"]}
    obligations = privacy_selectors.obligation_list(user=isms_office, exercise=True)
    assert _ids(obligations) == {drill["obligation"]}


def test_the_api_lists_real_work_unless_the_exercise_is_asked_for(
    both, isms_office, decision_maker
):
    api = _api(isms_office)
    for path, kind in (("/api/v1/incidents/", "incident"), ("/api/v1/decisions/", "decision")):
        key = "ref" if kind == "incident" else "id"
        real = {row[key] for row in api.get(path).json()["results"]}
        drill = {row[key] for row in api.get(path, {"exercise": "true"}).json()["results"]}
        assert len(real) >= 1 and len(drill) >= 1 and not real & drill, path
    refs = {row["ref"] for row in api.get("/api/v1/incidents/").json()["results"]}
    assert refs == {incident_selectors.Incident.objects.get(pk=both[False]["incident"]).ref}


def test_the_decision_inbox_shows_the_exercise_decision_only_under_its_own_heading(
    both, client, decision_maker
):
    client.force_login(decision_maker)
    page = client.get("/decisions/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    real_part, _, drill_part = page.partition('id="exercise-decisions"')
    assert f"/decisions/{both[False]['decision']}/" in real_part
    assert f"/decisions/{both[True]['decision']}/" not in real_part
    assert f"/decisions/{both[True]['decision']}/" in drill_part
    assert "訓練" in drill_part
    english = client.get("/decisions/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Exercise decisions" in english


@pytest.mark.parametrize(
    "language,marker", [("ja", "実際の対応ではありません"), ("en", "not real")]
)
def test_a_page_that_shows_an_exercise_incident_carries_the_banner_and_colour(
    both, client, isms_office, language, marker
):
    client.force_login(isms_office)
    drill = incident_selectors.Incident.objects.get(pk=both[True]["incident"])
    real = incident_selectors.Incident.objects.get(pk=both[False]["incident"])
    for path in (f"/incidents/{drill.ref}/", f"/decisions/{both[True]['decision']}/"):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert 'class="exercise-banner"' in page and marker in page, path
        assert '<body class="is-exercise">' in page, path
    for path in (f"/incidents/{real.ref}/", f"/decisions/{both[False]['decision']}/"):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert "exercise-banner" not in page and "is-exercise" not in page, path
