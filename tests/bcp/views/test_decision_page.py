"""The decision page: approve, decline or defer with a rationale; the service's refusals come
back with their status; ratification; history and the facts as they were when decided."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bcp.models import Decision
from incidents.models import TimelineEntry
from incidents.services import findings
from tests.conftest import refused


def _page(decision):
    return f"/decisions/{decision.pk}/"


def _decide(client, decision, **data):
    body = {"outcome": "APPROVED", "scope": "PARTIAL", "rationale": "営業部のみ切り離す", **data}
    return client.post(f"/decisions/{decision.pk}/decide/", body, HTTP_ACCEPT_LANGUAGE="en")


def test_the_deputy_of_an_absent_primary_approves_with_a_scope(
    as_user, open_decision, decision_maker, deputy, absent
):
    absent(decision_maker)
    decision = open_decision()
    client = as_user(deputy)
    page = client.get(_page(decision), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert 'name="scope"' in page.text and 'name="rationale"' in page.text
    response = _decide(client, decision)
    assert response.status_code == 302
    assert response["Location"] == _page(decision)
    decision.refresh_from_db()
    assert (decision.outcome, decision.outcome_scope, decision.decided_by) == (
        "APPROVED",
        "PARTIAL",
        deputy,
    )
    shown = client.get(_page(decision), HTTP_ACCEPT_LANGUAGE="en").text
    assert "Decision recorded: Approved." in shown
    assert "Activated (partial)" in shown
    assert "Waiting for ratification by a higher-ranked holder" in shown


def test_a_decision_without_scope_field_for_other_types(as_user, open_decision, decision_maker):
    decision = open_decision("ESTABLISH_IRT")
    page = as_user(decision_maker).get(_page(decision))
    assert 'name="scope"' not in page.text


def test_no_rationale_goes_back_with_the_message_and_nothing_is_written(
    as_user, open_decision, decision_maker
):
    decision = open_decision()
    client = as_user(decision_maker)
    response = _decide(client, decision, rationale=" ")
    assert "Give the reason for the decision." in refused(client, response, _page(decision))
    decision.refresh_from_db()
    assert decision.status == "OPEN"
    assert not TimelineEntry.objects.filter(kind="decision.decided").exists()


def test_deferring_without_a_time_is_refused_and_keeps_the_rationale(
    as_user, open_decision, decision_maker
):
    decision = open_decision()
    client = as_user(decision_maker)
    response = _decide(client, decision, outcome="DEFERRED")
    text = refused(client, response, _page(decision))
    assert "A deferred decision needs a future time to decide again." in text
    assert "営業部のみ切り離す" in text


def test_deferring_with_a_time_keeps_it_for_later(as_user, open_decision, decision_maker):
    decision = open_decision()
    later = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = _decide(as_user(decision_maker), decision, outcome="DEFERRED", redecide_by=later)
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.outcome == "DEFERRED" and decision.redecide_by > timezone.now()


def test_someone_outside_the_chain_sees_no_form_and_is_refused_with_403(
    as_user, open_decision, csirt_lead, decision_maker
):
    decision = open_decision()
    client = as_user(csirt_lead)
    page = client.get(_page(decision), HTTP_ACCEPT_LANGUAGE="en")
    assert "you cannot take this decision" in page.text
    response = _decide(client, decision)
    assert response.status_code == 403
    assert "You do not hold the role or the authority for this decision." in response.text


def test_the_second_decider_is_told_who_decided_first(
    as_user, open_decision, decision_maker, deputy
):
    decision = open_decision()
    assert _decide(as_user(decision_maker), decision).status_code == 302
    client = as_user(deputy)
    response = _decide(client, decision, outcome="DECLINED")
    text = refused(client, response, _page(decision))
    assert f"{decision_maker} already decided this (Approved)." in text
    assert Decision.objects.get(pk=decision.pk).outcome == "APPROVED"


def test_the_primary_ratifies_the_deputys_decision(as_user, open_decision, decision_maker, deputy):
    decision = open_decision("ESTABLISH_IRT")
    _decide(as_user(deputy), decision)
    assert "Ratify this decision" not in as_user(deputy).get(_page(decision)).text
    client = as_user(decision_maker)
    assert "Ratify this decision" in client.get(_page(decision), HTTP_ACCEPT_LANGUAGE="en").text
    response = client.post(f"/decisions/{decision.pk}/ratify/")
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.ratified_by == decision_maker
    again = client.post(f"/decisions/{decision.pk}/ratify/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'role="alert"' in refused(client, again, _page(decision))


def test_the_page_shows_the_history_and_the_facts_as_they_were_when_decided(
    as_user, open_decision, decision_maker, deputy, handler, incident, absent
):
    absent(decision_maker)
    decision = open_decision()
    _decide(as_user(deputy), decision)
    findings.leak_record(incident=incident, actor=handler, status="CONFIRMED")
    text = as_user(deputy).get(_page(decision), HTTP_ACCEPT_LANGUAGE="en").text
    assert "The facts when it was decided" in text
    assert "Information leak: none" in text  # the leak came later
    assert "Deputy: holders before were absent or lacked authority" in text
    assert "rank 2" in text


@pytest.mark.parametrize("who", ["reporter", "outsider"])
def test_people_who_may_not_see_it_get_404(as_user, request, open_decision, who):
    decision = open_decision()
    client = as_user(request.getfixturevalue(who))
    assert client.get(_page(decision)).status_code == 404
    assert _decide(client, decision).status_code == 404
