"""Opening a decision from the incident page and withdrawing it from its page (issue 14)."""

import pytest

from bcp.models import Decision
from bcp.services import decisions
from tests.conftest import refused


@pytest.fixture
def activated(incident, decision_maker):
    cut = decisions.decision_open(incident=incident, decision_type="CUT_ALL_EXTERNAL_NETWORK")
    decisions.decision_decide(decision=cut, actor=decision_maker, outcome="APPROVED", rationale="r")
    return incident


def test_the_csirt_lead_sees_the_request_form_and_a_handler_does_not(
    as_user, incident, csirt_lead, handler
):
    page = as_user(csirt_lead).get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="en")
    assert f'action="/incidents/{incident.ref}/decisions/"' in page.text
    assert "Request a decision" in page.text
    page = as_user(handler).get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="en")
    assert f'action="/incidents/{incident.ref}/decisions/"' not in page.text


def test_a_request_from_the_room_opens_the_decision_and_shows_its_page(
    as_user, activated, csirt_lead, decision_maker
):
    client = as_user(csirt_lead)
    response = client.post(
        f"/incidents/{activated.ref}/decisions/",
        {"type": "BCP_STAND_DOWN", "recommendation": "APPROVE", "reason": "復旧を確認"},
    )
    decision = Decision.objects.get(type="BCP_STAND_DOWN")
    assert response.status_code == 302
    assert response.url == f"/decisions/{decision.pk}/"
    assert (decision.assignee, decision.opened_by) == (decision_maker, csirt_lead)


def test_a_refused_request_keeps_the_form_and_says_why(as_user, incident, csirt_lead):
    client = as_user(csirt_lead)
    response = client.post(
        f"/incidents/{incident.ref}/decisions/",
        {"type": "BCP_STAND_DOWN", "recommendation": "NONE", "reason": "復旧を確認"},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    text = refused(client, response, f"/incidents/{incident.ref}/")
    assert "サイバー攻撃対応BCPは発動していないため" in text
    assert "復旧を確認" in text
    assert not Decision.objects.exists()


def test_the_bcp_panel_lists_the_stand_down_conditions(as_user, activated, csirt_lead):
    page = as_user(csirt_lead).get(f"/incidents/{activated.ref}/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="stand-down-conditions"' in page.text
    assert "The incident must be recovering or later" in page.text


def test_an_opener_withdraws_from_the_decision_page(as_user, incident, csirt_lead, decision_maker):
    decision = decisions.decision_open(
        incident=incident, decision_type="PUBLIC_ANNOUNCEMENT", actor=csirt_lead
    )
    client = as_user(csirt_lead)
    page = client.get(f"/decisions/{decision.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Withdraw this decision" in page.text
    response = client.post(f"/decisions/{decision.pk}/withdraw/", {"reason": ""})
    assert 'role="alert"' in refused(client, response, f"/decisions/{decision.pk}/")
    done = client.post(f"/decisions/{decision.pk}/withdraw/", {"reason": "公表は不要"})
    assert done.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "WITHDRAWN"
    page = client.get(f"/decisions/{decision.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "公表は不要" in page.text and "Withdraw this decision" not in page.text
