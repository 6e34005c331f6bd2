"""The dashboard: each tile's figures, its link to the filtered list, who sees which tile."""

from datetime import timedelta

import pytest

from dashboard.selectors import tiles
from incidents.models import Incident
from tests.conftest import _holder
from tests.training.conftest import basics_course, make_person, units  # noqa: F401


def _tiles(client, **headers):
    return client.get("/", HTTP_ACCEPT_LANGUAGE="en", **headers)


@pytest.fixture
def busy(seed, deputy, decision_maker):
    """An organisation in the middle of things: open incidents at each level, a closed one,
    decisions (one past due, taken by a deputy), alerts, overdue tasks, reports, a BCP."""
    first = seed.incidents(2, status="CONTAINING", level=2)
    seed.incidents(1, status="DECLARED", level=3)
    seed.incidents(1, status="CLOSED", level=1)
    seed.decisions(first[:1], assignee=deputy, rank=2)
    seed.decisions(first[1:], assignee=decision_maker, due_at=seed.now - timedelta(minutes=3))
    seed.alerts(2)
    seed.alerts(1, flagged=True, on=first[0])
    seed.tasks(first[0], 3, due_in=-timedelta(hours=2))
    seed.tasks(first[0], 2, due_in=timedelta(hours=2))
    seed.reports(4)
    seed.reports(2, status="NOT_INCIDENT")
    seed.bcp(first[0], "ACTIVATED_PARTIAL")
    seed.bcp(first[1], "DECISION_PENDING")
    return first


def test_the_isms_office_sees_every_tile_with_its_figures(as_user, isms_office, busy):
    page = _tiles(as_user(isms_office))
    assert page.status_code == 200
    incidents = page.context["incidents"]
    assert incidents.total == 3
    assert incidents.by_level == [(1, 0), (2, 2), (3, 1)]
    assert ("CONTAINING", "Containing", 2) in incidents.by_status
    decisions = page.context["decisions"]
    assert (decisions.open, decisions.past_due) == (2, 1)
    assert page.context["tasks"].count == 3
    assert (page.context["alerts"].awaiting, page.context["alerts"].flagged) == (2, 1)
    assert (page.context["triage"].items, page.context["triage"].reports) == (4, 4)
    assert [n for _, _, n in page.context["bcp"].by_state] == [1, 1, 0]


@pytest.mark.parametrize(
    "link",
    [
        "/dashboard/incidents/?status=open",
        "/dashboard/incidents/?status=open&amp;level=2",
        "/dashboard/incidents/?status=CONTAINING",
        "/dashboard/decisions/?status=open",
        "/dashboard/decisions/?status=open&amp;overdue=on",
        "/dashboard/alerts/?state=flagged",
        "/dashboard/alerts/?state=awaiting",
        "/dashboard/tasks/?status=overdue",
        "/dashboard/reports/?state=waiting",
        "/dashboard/incidents/?bcp=active",
        "/dashboard/incidents/?bcp=pending",
        "/statistics/",
    ],
)
def test_each_tile_links_to_its_filtered_list(as_user, isms_office, busy, link):
    assert f'href="{link}"' in _tiles(as_user(isms_office)).text


def test_a_deputy_holding_a_decision_is_marked(as_user, isms_office, busy):
    text = _tiles(as_user(isms_office)).text
    assert '<span class="badge deputy">deputy</span>' in text


def test_the_trend_covers_thirty_days_and_counts_todays_reports(as_user, isms_office, busy):
    trend = _tiles(as_user(isms_office)).context["trend"]
    assert len(trend.days) == 30
    metrics = {m.key: m for m in trend.metrics}
    assert metrics["reports"].total == 6
    assert metrics["incidents"].total == 4
    assert metrics["triage"].total == 2


def test_the_page_asked_by_htmx_is_only_the_tiles(as_user, isms_office, busy):
    response = _tiles(as_user(isms_office), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="tile-incidents"' in response.text
    assert "HX-Request" in response["Vary"]


def test_the_full_page_polls_its_tiles(as_user, isms_office):
    text = _tiles(as_user(isms_office)).text
    assert 'hx-get="/" hx-trigger="every 30s"' in text
    assert 'src="/static/vendor/htmx/htmx.min.js"' in text
    assert '"includeIndicatorStyles": false' in text


def test_a_reporter_sees_no_incident_tiles_and_is_offered_the_report_button(
    as_user, reporter, busy
):
    page = _tiles(as_user(reporter))
    for tile in ("incidents", "decisions", "tasks", "bcp", "triage", "alerts", "trend"):
        assert page.context[tile] is None
    assert "/report/" in page.text


def test_a_decision_maker_sees_incidents_but_not_the_alert_or_triage_tiles(
    as_user, decision_maker, busy
):
    page = _tiles(as_user(decision_maker))
    assert page.context["incidents"].total == 3
    assert page.context["alerts"] is None
    assert page.context["triage"] is None


def test_an_outsider_counts_nothing_of_another_organisation(as_user, busy):
    from tests.factories import OrganisationFactory

    stranger_org = OrganisationFactory()
    stranger = _holder(stranger_org, "ISMS_OFFICE", "stranger")
    page = _tiles(as_user(stranger))
    assert page.context["incidents"].total == 0
    assert page.context["decisions"].open == 0
    assert page.context["tasks"].count == 0
    assert page.context["alerts"].awaiting == 0
    assert page.context["triage"].items == 0
    assert not page.context["bcp"].any
    assert all(m.total == 0 for m in page.context["trend"].metrics)


def test_someone_who_sees_only_their_incidents_counts_each_once(organisation, seed):
    external = _holder(organisation, "EXTERNAL_RESPONDER", "vendor")
    mine = seed.incidents(1)[0]
    seed.incidents(3)
    mine.handlers.add(external)
    Incident.objects.filter(pk=mine.pk).update(csirt_lead=external)
    assert tiles.open_incidents(external).total == 1
    assert tiles.open_incidents(external).by_level == [(1, 1), (2, 0), (3, 0)]


def test_the_readiness_tile_counts_who_lacks_the_required_training(
    as_user,
    isms_office,
    basics_course,  # noqa: F811
    make_person,  # noqa: F811
):
    make_person()
    make_person(population="DISPATCHED")
    page = _tiles(as_user(isms_office))
    readiness = page.context["readiness"]
    assert (readiness.required, readiness.covered, readiness.missing) == (2, 0, 2)
    assert 'href="/training/coverage/"' in page.text
    assert "2 people lack it" in page.text


def test_the_readiness_tile_is_for_the_readers_of_training_records(as_user, handler):
    assert _tiles(as_user(handler)).context["readiness"] is None


@pytest.mark.parametrize("rows", [10, 100])
def test_the_dashboard_reads_a_fixed_number_of_queries(
    as_user, isms_office, decision_maker, deputy, seed, rows, django_assert_num_queries
):
    incidents = seed.incidents(rows, status="CONTAINING", level=2)
    seed.decisions(incidents, assignee=deputy, rank=2)
    seed.alerts(rows, flagged=True, on=incidents[0])
    seed.tasks(incidents[0], rows, due_in=-timedelta(hours=1))
    seed.reports(rows)
    for incident in incidents[:5]:
        seed.bcp(incident, "ACTIVATED_FULL")
    seed.infected(incidents[0], rows, observed=seed.now - timedelta(hours=1), isolated=seed.now)
    client = as_user(isms_office)
    client.get("/")
    with django_assert_num_queries(QUERIES_DASHBOARD):
        assert client.get("/").status_code == 200


# session and the user with organisation, roles and the bell (2: accounts.selectors.signed_in_user);
# the required courses (1, before training readiness can be counted); the user's delegations (1,
# before their decision inbox can be asked); and ONE query (common.fold) for the rest: every
# tile's counts and the rows the decisions, tasks, BCP and alert tiles list, training
# readiness, the vulnerability findings tile, the user's own decisions and their count, the
# obligations of the user's roles, the 30-day trend, every role's chain for the roster warnings
# (roster.chain_parts) and the user's row of the training register (someone in it: their
# courses, a query more). Not one per row. Issue 20 asks for 12 (bench/README.md).
QUERIES_DASHBOARD = 5
