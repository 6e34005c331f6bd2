"""The lists behind the tiles: filters, search, keyset pages, visibility, fixed query counts."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Channel, Notification
from tests.conftest import _holder

INCIDENTS = "/dashboard/incidents/"
REPORTS = "/dashboard/reports/"
DECISIONS = "/dashboard/decisions/"
TASKS = "/dashboard/tasks/"
ALERTS = "/dashboard/alerts/"


def _rows(response):
    return response.context["page"].rows


def _refs(response):
    return {incident.ref for incident in _rows(response)}


# --- Incidents ----------------------------------------------------------------------------------


@pytest.fixture
def mixed(seed):
    return {
        "open2": seed.incidents(2, status="CONTAINING", level=2, priority="P1"),
        "ransom": seed.incidents(1, category="RANSOMWARE", level=3),
        "closed": seed.incidents(1, status="CLOSED"),
    }


def _ref_set(*groups):
    return {incident.ref for group in groups for incident in group}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", ("open2", "ransom")),
        ("status=CLOSED", ("closed",)),
        ("status=open&level=2", ("open2",)),
        ("level=3", ("ransom",)),
        ("category=RANSOMWARE", ("ransom",)),
        ("priority=P1", ("open2",)),
        ("level=9", ("open2", "ransom", "closed")),  # not a level: ignored
    ],
)
def test_the_incident_list_filters(as_user, isms_office, mixed, query, expected):
    response = as_user(isms_office).get(f"{INCIDENTS}?{query}")
    assert response.status_code == 200
    assert _refs(response) == _ref_set(*(mixed[name] for name in expected))


def test_the_incident_list_finds_by_reference_or_title(as_user, isms_office, mixed):
    client = as_user(isms_office)
    target = mixed["ransom"][0]
    assert _refs(client.get(INCIDENTS, {"q": target.ref.lower()})) == {target.ref}
    assert _refs(client.get(INCIDENTS, {"q": target.title[-5:]})) == {target.ref}


def test_the_incident_list_filters_by_tlp_exercise_dates_and_assignee(
    as_user, isms_office, seed, handler
):
    now = timezone.localtime()
    red = seed.incidents(1, tlp="RED", declared_at=now - timedelta(days=10))
    drill = seed.incidents(1, is_exercise=True, declared_at=now - timedelta(days=3))
    owned = seed.incidents(1, owner=handler, declared_at=now)
    client = as_user(isms_office)
    day = (now - timedelta(days=3)).date().isoformat()
    assert _refs(client.get(INCIDENTS, {"tlp": "RED"})) == _ref_set(red)
    assert _refs(client.get(INCIDENTS, {"exercise": "exercise"})) == _ref_set(drill)
    assert _refs(client.get(INCIDENTS, {"exercise": "real"})) == _ref_set(red, owned)
    # Real incidents unless the exercise ones are asked for, never both (issue 18).
    assert _refs(client.get(INCIDENTS)) == _ref_set(red, owned)
    one_day = {"declared_from": day, "declared_to": day}
    assert _refs(client.get(INCIDENTS, one_day)) == set()
    assert _refs(client.get(INCIDENTS, {**one_day, "exercise": "exercise"})) == _ref_set(drill)
    assert _refs(client.get(INCIDENTS, {"declared_from": day})) == _ref_set(owned)
    assert _refs(client.get(INCIDENTS, {"assignee": handler.pk})) == _ref_set(owned)


def test_the_old_incident_list_leads_to_the_one_list_with_its_filters(as_user, isms_office):
    response = as_user(isms_office).get("/incidents/", {"tlp": "RED", "q": "evil"})
    assert response.status_code == 302
    assert response["Location"] == f"{INCIDENTS}?tlp=RED&q=evil"


def test_the_incident_list_filters_by_a_waiting_decision_and_by_the_bcp(
    as_user, isms_office, mixed, seed, decision_maker
):
    waiting, active = mixed["open2"]
    seed.decisions([waiting], assignee=decision_maker)
    seed.bcp(active, "ACTIVATED_FULL")
    seed.bcp(waiting, "DECISION_PENDING")
    client = as_user(isms_office)
    assert _refs(client.get(INCIDENTS, {"waiting": "on"})) == {waiting.ref}
    assert _refs(client.get(INCIDENTS, {"bcp": "active"})) == {active.ref}
    assert _refs(client.get(INCIDENTS, {"bcp": "pending"})) == {waiting.ref}


def test_the_next_page_link_continues_where_the_first_page_ended(as_user, isms_office, seed):
    seed.incidents(60, status="CONTAINING")
    client = as_user(isms_office)
    first = client.get(INCIDENTS, {"status": "open"})
    assert len(_rows(first)) == 50
    link = re.search(r'href="\?([^"]+)" rel="next"', first.text).group(1).replace("&amp;", "&")
    assert "status=open" in link
    second = client.get(f"{INCIDENTS}?{link}")
    assert len(_rows(second)) == 10
    assert not second.context["page"].has_next
    assert _refs(first).isdisjoint(_refs(second))
    assert (
        "Back to the first page"
        in client.get(f"{INCIDENTS}?{link}", HTTP_ACCEPT_LANGUAGE="en").text
    )


def test_the_incident_list_marks_levels_with_text_and_recommendations(as_user, isms_office, seed):
    seed.incidents(1, level=1, recommended_level=2)
    text = as_user(isms_office).get(INCIDENTS, HTTP_ACCEPT_LANGUAGE="en").text
    assert '<span class="badge level-1">Level 1</span>' in text
    assert "Level 2 recommended" in text


# --- Reports ------------------------------------------------------------------------------------


def test_the_report_list_filters_by_state_and_finds_by_subject_or_number(
    as_user, isms_office, seed
):
    waiting = seed.reports(2)
    rejected = seed.reports(1, status="NOT_INCIDENT")
    client = as_user(isms_office)
    assert set(_rows(client.get(REPORTS, {"state": "waiting"}))) == set(waiting)
    assert set(_rows(client.get(REPORTS, {"state": "not_incident"}))) == set(rejected)
    assert _rows(client.get(REPORTS, {"q": waiting[1].subject})) == [waiting[1]]
    assert _rows(client.get(REPORTS, {"q": rejected[0].number})) == [rejected[0]]


def test_a_reporter_lists_only_their_own_reports(as_user, reporter, file_report, seed):
    seed.reports(3)
    mine = file_report(actor=reporter)
    assert _rows(as_user(reporter).get(REPORTS)) == [mine]


# --- Decisions ----------------------------------------------------------------------------------


def test_the_decision_list_filters_and_marks_the_deputy(
    as_user, isms_office, seed, decision_maker, deputy
):
    incidents = seed.incidents(3)
    by_deputy = seed.decisions(incidents[:1], assignee=deputy, rank=2)
    late = seed.decisions(
        incidents[1:2], assignee=decision_maker, due_at=seed.now - timedelta(minutes=1)
    )
    done = seed.decisions(
        incidents[2:],
        type="ESTABLISH_IRT",
        status="DECIDED",
        outcome="APPROVED",
        rationale="承認",
        decided_at=seed.now,
    )
    client = as_user(isms_office)
    assert set(_rows(client.get(DECISIONS, {"status": "open"}))) == {*by_deputy, *late}
    assert _rows(client.get(DECISIONS, {"overdue": "on"})) == late
    assert _rows(client.get(DECISIONS, {"decision_type": "ESTABLISH_IRT"})) == done
    assert _rows(client.get(DECISIONS, {"q": incidents[0].ref})) == by_deputy
    assert _rows(as_user(deputy).get(DECISIONS, {"mine": "on"})) == by_deputy
    text = client.get(DECISIONS, {"status": "open"}, HTTP_ACCEPT_LANGUAGE="en").text
    assert text.count('<span class="badge deputy">deputy</span>') == 1


# --- Tasks --------------------------------------------------------------------------------------


def test_the_task_list_shows_open_tasks_soonest_first_and_filters(as_user, isms_office, seed):
    incident = seed.incidents(1)[0]
    late = seed.tasks(incident, 2, due_in=-timedelta(hours=1))
    coming = seed.tasks(incident, 2, due_in=timedelta(hours=1), owner=isms_office)
    seed.tasks(incident, 1, due_in=timedelta(hours=1), status="DONE")
    client = as_user(isms_office)
    assert _rows(client.get(TASKS)) == [*late, *coming]
    assert _rows(client.get(TASKS, {"status": "overdue"})) == late
    assert len(_rows(client.get(TASKS, {"status": "DONE"}))) == 1
    assert _rows(client.get(TASKS, {"mine": "on"})) == coming
    assert _rows(client.get(TASKS, {"q": incident.ref})) == [*late, *coming]


# --- Alerts -------------------------------------------------------------------------------------


def test_the_isms_office_lists_the_organisations_alerts_by_state(as_user, isms_office, seed):
    waiting = seed.alerts(2)
    flagged = seed.alerts(1, flagged=True)
    client = as_user(isms_office)
    assert _rows(client.get(ALERTS)) == [*reversed(flagged), *reversed(waiting)]
    assert _rows(client.get(ALERTS, {"state": "flagged"})) == flagged
    assert set(_rows(client.get(ALERTS, {"state": "awaiting"}))) == set(waiting)


def test_anyone_else_lists_only_the_alerts_sent_to_them(as_user, organisation, seed, handler):
    mine, _other = seed.alerts(2)
    channel = Channel.objects.create(organisation=organisation, kind="IN_APP", name="アプリ内")
    Notification.objects.create(
        alert=mine,
        organisation=organisation,
        recipient=handler,
        channel=channel,
        next_attempt_at=timezone.now(),
        created_at=timezone.now(),
    )
    assert _rows(as_user(handler).get(ALERTS)) == [mine]


# --- Everyone's lists: visibility and query counts ----------------------------------------------


@pytest.mark.parametrize("path", [INCIDENTS, REPORTS, DECISIONS, TASKS, ALERTS])
def test_an_outsider_lists_nothing_of_another_organisation(as_user, outsider, seed, path):
    incidents = seed.incidents(3)
    seed.reports(3)
    seed.decisions(incidents)
    seed.tasks(incidents[0], 3, due_in=timedelta(hours=1))
    seed.alerts(3)
    stranger = _holder(outsider.organisation, "ISMS_OFFICE", "stranger")
    for user in (outsider, stranger):
        response = as_user(user).get(path)
        assert response.status_code == 200
        assert _rows(response) == []


def _fill(seed, rows, decision_maker):
    incidents = seed.incidents(rows, status="CONTAINING", level=2)
    seed.reports(rows)
    seed.decisions(incidents, assignee=decision_maker)
    seed.tasks(incidents[0], rows, due_in=timedelta(hours=1))
    seed.alerts(rows, on=incidents[0])


@pytest.mark.parametrize("rows", [10, 100])
@pytest.mark.parametrize(
    ("path", "queries"),
    # session, the user (with organisation, roles and the bell), the page (one query); the
    # incident list also reads the people of its assignee filter (issue 20: at most 4).
    [(INCIDENTS, 4), (REPORTS, 3), (DECISIONS, 3), (TASKS, 3), (ALERTS, 3)],
)
def test_each_list_reads_a_fixed_number_of_queries(
    as_user, isms_office, decision_maker, seed, rows, path, queries, django_assert_num_queries
):
    _fill(seed, rows, decision_maker)
    client = as_user(isms_office)
    client.get(path)
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert len(_rows(response)) == min(rows, 50)


def test_the_filter_selects_are_written_as_djangos_select_writes_them(isms_office):
    # dashboard.forms.QuickSelect writes the options in Python; the markup must not move.
    from django import forms as django_forms
    from django.utils import translation

    from dashboard import forms

    classes = [forms.IncidentFilterForm, forms.ReportFilterForm, forms.DecisionFilterForm]
    classes += [forms.TaskFilterForm, forms.AlertFilterForm]
    chosen = {"status": "open", "level": "2", "category": "RANSOMWARE", "state": "waiting"}
    with translation.override("ja"):
        for form_class in classes:
            for data in ({}, chosen):
                quick, django = (
                    form_class(data, user=isms_office),
                    form_class(data, user=isms_office),
                )
                selects = [f.name for f in quick if isinstance(f.field.widget, forms.QuickSelect)]
                assert selects
                for name in selects:
                    django.fields[name].widget.__class__ = django_forms.Select
                    assert str(quick[name]) == str(django[name])


def test_a_choices_label_follows_the_language_on_every_row(seed):
    from django.utils import translation

    incident = seed.incidents(1, status="CONTAINING")[0]
    with translation.override("en"):
        english = incident.get_status_display()
    with translation.override("ja"):
        japanese = incident.get_status_display()
    assert english != japanese
    assert english == incident.get_status_display() or japanese == incident.get_status_display()
