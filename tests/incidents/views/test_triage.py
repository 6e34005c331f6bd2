"""The triage queue and the triage decisions of the ISMS office."""

from datetime import timedelta

import pytest
import time_machine

from common import clock
from incidents.models import Event, Incident
from incidents.services import triage
from tests.conftest import refused


@pytest.fixture
def waiting(file_report, reporter):
    """One triage item from two reports of one email (grouped by URL)."""
    first = file_report(actor=reporter)
    file_report(reporter_email="b@example.com")
    return first.event


@pytest.mark.parametrize("url", ["/triage/", "/reports/new/", "/intake/settings/"])
def test_a_reporter_is_refused_the_role_pages_with_403(as_user, reporter, url):
    assert as_user(reporter).get(url).status_code == 403


def test_a_reporter_is_refused_a_triage_item(as_user, reporter, waiting):
    assert as_user(reporter).get(f"/triage/{waiting.pk}/").status_code == 403
    response = as_user(reporter).post(f"/triage/{waiting.pk}/promote/", {})
    assert response.status_code == 403


def test_an_outsider_gets_404_for_another_organisations_item(as_user, outsider, waiting):
    from accounts.roles import Role
    from tests.factories import RoleAssignmentFactory

    RoleAssignmentFactory(organisation=outsider.organisation, user=outsider, role=Role.ISMS_OFFICE)
    assert as_user(outsider).get(f"/triage/{waiting.pk}/").status_code == 404


def test_queue_lists_waiting_items_oldest_first_with_count_priority_and_match(
    as_user, isms_office, file_report, reporter
):
    with time_machine.travel(clock.now() - timedelta(hours=2)):
        older = file_report(actor=reporter, url="https://old.example/", subject="古い件")
    newer = file_report(actor=reporter)
    file_report(reporter_email="c@example.com")
    response = as_user(isms_office).get("/triage/", HTTP_ACCEPT_LANGUAGE="en")
    text = response.text
    assert response.status_code == 200
    assert text.index(older.event.summary) < text.index(newer.event.summary)
    assert "2 reports" in text
    assert "Grouped by URL:" in text
    assert "https://evil.example/invoice" in text
    assert newer.event.priority_reason_text in text
    assert "waiting 2" in text


def test_queue_query_count_does_not_grow_with_its_length(
    as_user, isms_office, file_report, django_assert_max_num_queries
):
    client = as_user(isms_office)
    for n in range(3):
        file_report(url=f"https://a{n}.example/", reporter_email=f"a{n}@example.com")
    with django_assert_max_num_queries(20) as few:
        client.get("/triage/")
    for n in range(12):
        file_report(url=f"https://b{n}.example/", reporter_email=f"b{n}@example.com")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/triage/")


def test_promote_declares_the_incident_and_redirects_to_it(as_user, isms_office, waiting):
    response = as_user(isms_office).post(
        f"/triage/{waiting.pk}/promote/",
        {
            "promote-title": "請求書を装った標的型メール",
            "promote-category": "TARGETED_EMAIL",
            "promote-impact": "HIGH",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{incident.ref}/"
    assert incident.title == "請求書を装った標的型メール"
    assert incident.priority == "P1"
    assert incident.reports.count() == 2


def test_a_second_decision_on_the_same_item_is_refused_and_changes_nothing(
    as_user, isms_office, csirt_lead, waiting
):
    triage.event_promote(event=waiting, actor=csirt_lead)
    client = as_user(isms_office)
    response = client.post(
        f"/triage/{waiting.pk}/close/",
        {"close-status": "NOT_INCIDENT", "close-disposition": "not-an-incident:refuted"},
    )
    assert 'role="alert"' in refused(client, response, f"/triage/{waiting.pk}/")
    waiting.refresh_from_db()
    assert waiting.status == "PROMOTED"
    assert waiting.disposition == ""
    assert Incident.objects.count() == 1


def test_close_needs_a_disposition_that_fits_the_outcome(as_user, isms_office, waiting):
    client = as_user(isms_office)
    response = client.post(
        f"/triage/{waiting.pk}/close/",
        {"close-status": "DUPLICATE", "close-disposition": "not-an-incident:refuted"},
    )
    text = refused(client, response, f"/triage/{waiting.pk}/")
    assert 'class="errorlist' in text or 'role="alert"' in text
    waiting.refresh_from_db()
    assert waiting.status == "RECEIVED"


def test_close_as_not_an_incident_returns_to_the_queue(as_user, isms_office, waiting):
    response = as_user(isms_office).post(
        f"/triage/{waiting.pk}/close/",
        {
            "close-status": "NOT_INCIDENT",
            "close-disposition": "not-an-incident:refuted",
            "close-note": "社内の正規メール",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/triage/"
    waiting.refresh_from_db()
    assert (waiting.status, waiting.disposition_note) == ("NOT_INCIDENT", "社内の正規メール")


def test_attach_joins_an_open_incident(as_user, isms_office, incident, file_report):
    other = file_report(url="https://other.example/", subject="別件", sender="x@other.example")
    response = as_user(isms_office).post(
        f"/triage/{other.event.pk}/attach/", {"attach-incident": incident.pk}
    )
    assert response.status_code == 302
    assert Event.objects.get(pk=other.event.pk).incident == incident


def test_attach_offers_only_incidents_of_the_own_organisation(
    as_user, isms_office, waiting, outsider
):
    from incidents.services import records

    foreign = records.incident_declare(
        organisation=outsider.organisation, actor=None, title="x", category="OTHER"
    )
    client = as_user(isms_office)
    response = client.post(f"/triage/{waiting.pk}/attach/", {"attach-incident": foreign.pk})
    assert 'class="errorlist' in refused(client, response, f"/triage/{waiting.pk}/")
    waiting.refresh_from_db()
    assert waiting.status == "RECEIVED"


def test_report_text_is_rendered_escaped_on_the_item_page(as_user, isms_office, file_report):
    report = file_report(description="<script>alert(1)</script>", reporter_email="x@example.com")
    response = as_user(isms_office).get(f"/triage/{report.event.pk}/")
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
