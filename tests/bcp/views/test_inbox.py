"""The decision inbox: what I must or may decide, with the countdown and the facts."""

from datetime import timedelta

import time_machine

from bcp.models import Decision
from bcp.services import decisions
from incidents.models import IncidentCounter
from incidents.services import records
from tests.factories import OrganisationFactory


def test_the_inbox_shows_the_decisions_assigned_to_me_and_only_those(
    as_user, open_decision, decision_maker, deputy, csirt_lead, incident
):
    bcp = open_decision(reason="2台目の感染を確認")
    escalate = open_decision("ESCALATE_LEVEL", target_level=2)
    elsewhere = OrganisationFactory()
    # References are unique across organisations; start the other's numbering elsewhere.
    IncidentCounter.objects.create(organisation=elsewhere, year=incident.year, last=500)
    other_org = records.incident_declare(
        organisation=elsewhere,
        actor=None,
        title="他社の件",
        category="OTHER",
    )
    foreign = decisions.decision_open(incident=other_org, decision_type="ACTIVATE_CYBER_BCP")

    page = as_user(decision_maker).get("/decisions/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    listed = {d.pk for d in page.context["decisions"]}
    assert listed == {bcp.pk}
    assert escalate.pk not in listed and foreign.pk not in listed
    text = page.text
    assert f"/decisions/{bcp.pk}/" in text
    assert "2台目の感染を確認" in text
    assert "Assigned to you." in text

    lead = as_user(csirt_lead).get("/decisions/")
    assert {d.pk for d in lead.context["decisions"]} == {escalate.pk}


def test_a_deputy_sees_what_the_primary_was_given_and_may_decide_it(
    as_user, open_decision, decision_maker, deputy
):
    bcp = open_decision()
    page = as_user(deputy).get("/decisions/", HTTP_ACCEPT_LANGUAGE="en")
    assert [d.pk for d in page.context["decisions"]] == [bcp.pk]
    assert f"Assigned to {decision_maker}. You may decide as a holder of the role." in page.text


def test_each_item_says_the_facts_in_plain_words_and_the_time_left(
    as_user, open_decision, decision_maker, incident
):
    decision = open_decision(recommendation="APPROVE", recommended_scope="FULL")
    with time_machine.travel(decision.opened_at + timedelta(minutes=18), tick=False):
        page = as_user(decision_maker).get("/decisions/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.text
    assert "12 min left" in text
    assert "data-countdown" in text
    assert "Infected computers (incl. suspected): 1" in text
    assert "Isolated: 1" in text
    assert "Unauthorised communication to the outside: none" in text
    assert "Information leak: none" in text
    assert "Approve (Full)" in text
    assert '<script src="/static/js/countdown.js" defer></script>' in text


def test_the_countdown_reads_in_japanese(as_user, open_decision, decision_maker):
    decision = open_decision()
    with time_machine.travel(decision.opened_at + timedelta(minutes=18), tick=False):
        page = as_user(decision_maker).get("/decisions/", HTTP_ACCEPT_LANGUAGE="ja")
    assert "残り 12分" in page.text
    assert "感染端末（疑いを含む）：1台" in page.text


def test_overdue_first_and_those_without_a_deadline_last(as_user, open_decision, decision_maker):
    no_deadline = open_decision("BCP_STAND_DOWN")
    calm = open_decision("ESTABLISH_IRT")
    late = open_decision("CUT_ALL_EXTERNAL_NETWORK")
    Decision.objects.filter(pk=late.pk).update(overdue=True)
    with time_machine.travel(calm.due_at + timedelta(minutes=3), tick=False):
        page = as_user(decision_maker).get("/decisions/", HTTP_ACCEPT_LANGUAGE="en")
    assert [d.pk for d in page.context["decisions"]] == [late.pk, calm.pk, no_deadline.pk]
    assert "Overdue: nobody left in the chain" in page.text
    assert "overdue by 3 min" in page.text
    assert "no deadline" in page.text


def test_the_inbox_query_count_does_not_grow_with_its_length(
    as_user, open_decision, decision_maker, django_assert_max_num_queries
):
    client = as_user(decision_maker)
    open_decision()
    with django_assert_max_num_queries(40) as few:
        client.get("/decisions/")
    for kind in ("ESTABLISH_IRT", "CUT_ALL_EXTERNAL_NETWORK", "PUBLIC_ANNOUNCEMENT") * 3:
        open_decision(kind)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/decisions/").context["decisions"]) == 10


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/decisions/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
