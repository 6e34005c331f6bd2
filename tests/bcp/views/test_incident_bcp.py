"""The BCP panel of the incident page: state, actions, done and restored buttons."""

import pytest

from bcp.models import BcpAction
from bcp.services import decisions
from tests.conftest import refused


@pytest.fixture
def activated(incident, decision_maker):
    decision = decisions.decision_open(incident=incident, decision_type="CUT_ALL_EXTERNAL_NETWORK")
    decisions.decision_decide(
        decision=decision, actor=decision_maker, outcome="APPROVED", rationale="C2通信"
    )
    return incident


def _page(incident):
    return f"/incidents/{incident.ref}/"


def test_an_incident_without_bcp_says_not_activated(as_user, handler, incident):
    page = as_user(handler).get(_page(incident), HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="bcp"' in page.text
    assert "Not activated" in page.text


def test_the_panel_shows_the_state_and_the_actions_with_buttons(as_user, handler, activated):
    page = as_user(handler).get(_page(activated), HTTP_ACCEPT_LANGUAGE="en")
    action = BcpAction.objects.get()
    assert "Activated (full)" in page.text
    assert action.description in page.text
    assert f"/bcp/actions/{action.pk}/done/" in page.text


def test_done_then_restored_are_recorded_with_who_and_when(as_user, handler, activated):
    action = BcpAction.objects.get()
    client = as_user(handler)
    done = client.post(f"/bcp/actions/{action.pk}/done/")
    assert done.status_code == 302
    assert done["Location"] == _page(activated) + "#bcp"
    page = client.get(_page(activated))
    assert f"/bcp/actions/{action.pk}/restored/" in page.text
    assert client.post(f"/bcp/actions/{action.pk}/restored/").status_code == 302
    action.refresh_from_db()
    assert action.executed_by == handler and action.restored_by == handler


def test_recording_twice_is_refused_on_the_incident_page(as_user, handler, activated):
    action = BcpAction.objects.get()
    client = as_user(handler)
    client.post(f"/bcp/actions/{action.pk}/done/")
    again = client.post(f"/bcp/actions/{action.pk}/done/", HTTP_ACCEPT_LANGUAGE="en")
    text = refused(client, again, _page(activated))
    assert "This action was already recorded as done." in text


def test_a_viewer_who_may_not_edit_sees_no_buttons_and_is_refused(
    as_user, decision_maker, activated
):
    action = BcpAction.objects.get()
    client = as_user(decision_maker)
    assert f"/bcp/actions/{action.pk}/done/" not in client.get(_page(activated)).text
    assert client.post(f"/bcp/actions/{action.pk}/done/").status_code == 403
    action.refresh_from_db()
    assert action.executed_at is None


def test_an_action_of_an_incident_i_cannot_see_is_404(as_user, reporter, activated):
    action = BcpAction.objects.get()
    assert as_user(reporter).post(f"/bcp/actions/{action.pk}/done/").status_code == 404
