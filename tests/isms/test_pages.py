"""The review page, the corrective-action pages, the close page and the management review."""

from datetime import date

import pytest

from incidents.models import AffectedAsset, Incident
from isms.models import CorrectiveAction, PostIncidentReview
from tests.isms.conftest import add_action, set_status, write_review


@pytest.fixture
def as_user(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def test_the_office_writes_the_review_and_adds_an_action_in_the_browser(
    as_user, incident, isms_office, handler
):
    client = as_user(isms_office)
    page = client.get(f"/incidents/{incident.ref}/review/", HTTP_ACCEPT_LANGUAGE="ja")
    assert page.status_code == 200 and "事後レビュー" in page.text
    saved = client.post(
        f"/incidents/{incident.ref}/review/",
        {"root_cause": "マクロ", "lessons": "マクロ無効化\n\n教育", "controls": ["8.7"]},
    )
    assert saved.status_code == 302
    review = PostIncidentReview.objects.get(incident=incident)
    assert review.lessons == ["マクロ無効化", "教育"]
    added = client.post(
        f"/incidents/{incident.ref}/corrective-actions/",
        {
            "title": "マクロの既定無効化",
            "owner": handler.pk,
            "due_on": "2030-03-31",
            "controls": ["8.7", "8.23"],
            "risk_reference": "R-012",
        },
    )
    assert added.status_code == 302
    action = CorrectiveAction.objects.get()
    assert (action.owner, action.due_on) == (handler, date(2030, 3, 31))


def test_an_action_without_a_control_keeps_the_form_and_says_why(as_user, incident, isms_office):
    response = as_user(isms_office).post(
        f"/incidents/{incident.ref}/corrective-actions/",
        {"title": "教育", "due_on": "2030-03-31", "risk_reference": "R-1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "教育" in response.text
    assert not CorrectiveAction.objects.exists()


def test_the_list_shows_open_overdue_and_by_control(as_user, incident, isms_office):
    late = add_action(incident, isms_office, title="遅れている処置", due_on=date(2020, 1, 1))
    add_action(incident, isms_office, title="先の処置", due_on=date(2099, 1, 1), controls=["5.24"])
    client = as_user(isms_office)
    open_page = client.get("/corrective-actions/", HTTP_ACCEPT_LANGUAGE="ja").text
    assert "遅れている処置" in open_page and "先の処置" in open_page
    overdue = client.get("/corrective-actions/?view=overdue").text
    assert "遅れている処置" in overdue and "先の処置" not in overdue
    by_control = client.get("/corrective-actions/?view=all&control=5.24").text
    assert "先の処置" in by_control and "遅れている処置" not in by_control
    detail = client.get(f"/corrective-actions/{late.pk}/")
    assert detail.status_code == 200


def test_an_outsider_gets_404_for_an_action(as_user, incident, isms_office, outsider):
    action = add_action(incident, isms_office)
    assert as_user(outsider).get(f"/corrective-actions/{action.pk}/").status_code == 404


def test_the_close_page_shows_each_condition_with_a_tick_or_a_fix(as_user, incident, isms_office):
    set_status(incident, "REVIEWING")
    client = as_user(isms_office)
    page = client.get(f"/incidents/{incident.ref}/close/", HTTP_ACCEPT_LANGUAGE="ja").text
    assert page.count('class="unmet"') == 2  # the review and the asset
    assert f'href="/incidents/{incident.ref}/review/"' in page
    assert f'href="/incidents/{incident.ref}/#assets"' in page
    assert "disabled" in page
    AffectedAsset.objects.filter(incident=incident).update(remediation_state="RESTORED")
    write_review(incident, isms_office)
    page = client.get(f"/incidents/{incident.ref}/close/").text
    assert 'class="unmet"' not in page and page.count('class="met"') == 7
    assert 'type="submit" class="primary wide">' in page
    closed = client.post(f"/incidents/{incident.ref}/close/", {"waive_reason": "本件では不要"})
    assert closed.status_code == 302
    assert Incident.objects.get(pk=incident.pk).status == "CLOSED"


def test_closing_without_the_waiver_reason_keeps_the_page_and_says_why(as_user, ready, isms_office):
    response = as_user(isms_office).post(
        f"/incidents/{ready.ref}/close/", {"waive_reason": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "give one reason to waive them" in response.text
    assert Incident.objects.get(pk=ready.pk).status == "REVIEWING"


def test_the_lifecycle_panel_says_what_the_next_move_needs(as_user, incident, handler):
    page = as_user(handler).get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="en").text
    assert 'id="lifecycle"' in page
    assert 'data-code="G-CONTAINMENT-STARTED"' in page
    assert 'class="met" data-code="G-CONTAINMENT-STARTED"' in page  # the PC was isolated


def test_the_management_review_lists_the_closed_incidents_lessons_and_open_action(
    as_user, ready, isms_office
):
    from incidents.services import transitions

    Incident.objects.filter(pk=ready.pk).update(peak_level=2)
    add_action(ready, isms_office, title="Officeマクロの既定無効化")
    ready.refresh_from_db()
    transitions.incident_transition(
        incident=ready, target="CLOSED", actor=isms_office, waive_reason="不要"
    )
    page = as_user(isms_office).get("/training/review/").text
    assert f'id="mr-{ready.ref}"' in page
    assert "マクロを既定で無効にする" in page  # the lesson
    assert "Officeマクロの既定無効化" in page and "未完了" in page  # the action, open
