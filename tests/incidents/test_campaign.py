"""Several emails per incident (a campaign from a second sender, with a second subject …), each
with its deliveries, reports and executions; related incidents linked both ways."""

import pytest
from rest_framework.test import APIClient

from incidents.models import IncidentRelation, MailDelivery
from incidents.services import intake, records, triage
from tests.incidents.conftest import PHISH

VARIANT = {
    "sender": '"経理部" <keiri@evil-billing.example>',
    "subject": "【再送】請求書の送付",
    "url": "https://evil-billing.example/invoice2",
    "what_happened": "OPENED_ATTACHMENT",
}


@pytest.fixture
def api(isms_office):
    client = APIClient()
    client.force_authenticate(isms_office)
    return client


@pytest.fixture
def variant_report(file_report, incident):
    """A report of a second email: nothing it carries matches the incident, so it waits."""
    report = file_report(reporter_email="sato@example.com", asset_label="PC-30", **VARIANT)
    assert report.incident is None and report.event is not None
    return report


def _messages(api, incident):
    return api.get(f"/api/v1/incidents/{incident.ref}/mail-messages/").json()["results"]


def test_triage_joins_a_new_variant_as_a_new_message_of_the_incident(
    api, incident, variant_report, isms_office
):
    response = api.post(
        f"/api/v1/events/{variant_report.event_id}/attach/",
        {"incident": incident.ref, "new_message": True},
        format="json",
    )
    assert response.status_code == 200, response.json()
    rows = _messages(api, incident)
    assert [(m["sender"], m["mail_delivered_count"], m["mail_executed_count"]) for m in rows] == [
        (PHISH["sender"], 1, 1),
        (VARIANT["sender"], 1, 1),
    ]
    delivery = MailDelivery.objects.get(recipient_email="sato@example.com")
    assert delivery.message_id == rows[1]["id"]
    totals = api.get(f"/api/v1/incidents/{incident.ref}/").json()
    assert (totals["mail_delivered_count"], totals["infected_effective_count"]) == (2, 2)


def test_later_reports_of_the_variant_join_its_message_by_themselves(
    api, incident, variant_report, isms_office, file_report
):
    triage.event_attach(
        event=variant_report.event, incident=incident, actor=isms_office, new_message=True
    )
    later = file_report(
        reporter_email="ito@example.com", **{**VARIANT, "what_happened": "RECEIVED_ONLY"}
    )
    assert later.incident == incident
    rows = _messages(api, incident)
    assert [(m["mail_delivered_count"], m["mail_reported_count"]) for m in rows] == [(1, 1), (2, 2)]


def test_without_triage_saying_so_the_item_joins_the_first_message(
    api, incident, variant_report, isms_office
):
    triage.event_attach(event=variant_report.event, incident=incident, actor=isms_office)
    assert [m["mail_delivered_count"] for m in _messages(api, incident)] == [2]


def test_a_report_of_the_same_email_joins_its_message(api, incident, file_report):
    file_report(reporter_email="kato@example.com", what_happened="RECEIVED_ONLY")
    assert [m["mail_delivered_count"] for m in _messages(api, incident)] == [2]


def test_a_handler_records_another_email_of_the_campaign(api, incident, organisation):
    body = {"sender": "billing@evil-billing.example", "subject": "請求書（再送）"}
    response = api.post(f"/api/v1/incidents/{incident.ref}/mail-messages/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["mail_delivered_count"] == 0
    again = api.post(f"/api/v1/incidents/{incident.ref}/mail-messages/", body, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "message_exists")
    empty = api.post(f"/api/v1/incidents/{incident.ref}/mail-messages/", {}, format="json")
    assert (empty.status_code, empty.json()["code"]) == (400, "empty_message")
    # Its indicators make a report of that email join this incident.
    report = intake.report_submit(
        organisation=organisation,
        actor=None,
        data=intake.ReportInput(**body, reporter_email="abe@example.com"),
    )
    assert report.incident == incident


def test_a_delivery_names_its_message(api, incident):
    second = api.post(
        f"/api/v1/incidents/{incident.ref}/mail-messages/",
        {"url": "https://evil.example/other"},
        format="json",
    ).json()
    response = api.post(
        f"/api/v1/incidents/{incident.ref}/mail-deliveries/",
        {"recipient_email": "ueda@example.com", "message": second["id"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["message"] == second["id"]
    wrong = api.post(
        f"/api/v1/incidents/{incident.ref}/mail-deliveries/",
        {"recipient_email": "ueda@example.com", "message": 999999},
        format="json",
    )
    assert (wrong.status_code, wrong.json()["code"]) == (400, "message_not_found")


# --- Related incidents --------------------------------------------------------------------------


@pytest.fixture
def other(organisation, isms_office):
    return records.incident_declare(
        organisation=organisation,
        actor=isms_office,
        title="代替手段の私用メールから情報漏えい",
        category="DATA_LEAK",
    )


def _links(api, incident):
    return api.get(f"/api/v1/incidents/{incident.ref}/relations/").json()


def test_a_link_shows_on_both_incidents(api, incident, other):
    response = api.post(
        f"/api/v1/incidents/{other.ref}/relations/",
        {"incident": incident.ref, "kind": "CAUSED_BY", "note": "BCPの代替手段"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 201, response.json()
    mine = _links(api, other)
    theirs = api.get(
        f"/api/v1/incidents/{incident.ref}/relations/", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert [(x["direction"], x["kind"], x["incident"]) for x in mine] == [
        ("outgoing", "CAUSED_BY", incident.ref)
    ]
    assert [(x["direction"], x["label"], x["incident"]) for x in theirs] == [
        ("incoming", "Caused", other.ref)
    ]
    assert incident.timeline.filter(kind="incident.related", payload__from=other.ref).exists()
    assert other.timeline.filter(kind="incident.related", payload__to=incident.ref).exists()


@pytest.mark.parametrize("kind", ["RELATED", "DUPLICATE_OF", "CAUSED_BY"])
def test_the_same_link_the_other_way_round_is_a_conflict(api, incident, other, kind):
    api.post(
        f"/api/v1/incidents/{other.ref}/relations/",
        {"incident": incident.ref, "kind": kind},
        format="json",
    )
    again = api.post(
        f"/api/v1/incidents/{incident.ref}/relations/",
        {"incident": other.ref, "kind": kind},
        format="json",
    )
    assert (again.status_code, again.json()["code"]) == (409, "relation_exists")
    assert IncidentRelation.objects.count() == 1


def test_an_incident_cannot_be_linked_to_itself_or_to_one_it_cannot_see(api, incident, outsider):
    itself = api.post(
        f"/api/v1/incidents/{incident.ref}/relations/",
        {"incident": incident.ref, "kind": "RELATED"},
        format="json",
    )
    assert (itself.status_code, itself.json()["code"]) == (400, "relation_to_itself")
    unknown = api.post(
        f"/api/v1/incidents/{incident.ref}/relations/",
        {"incident": "INC-1999-0001", "kind": "RELATED"},
        format="json",
    )
    assert unknown.status_code == 400
    assert not IncidentRelation.objects.exists()


def test_a_link_is_removed_from_either_side(api, incident, other):
    made = api.post(
        f"/api/v1/incidents/{other.ref}/relations/",
        {"incident": incident.ref, "kind": "DUPLICATE_OF"},
        format="json",
    ).json()
    gone = api.delete(f"/api/v1/incidents/{incident.ref}/relations/{made['id']}/")
    assert gone.status_code == 204
    assert _links(api, other) == [] and _links(api, incident) == []
    assert other.timeline.filter(kind="incident.unrelated").exists()


def test_the_incident_page_shows_the_emails_and_the_links(client, isms_office, incident, other):
    client.force_login(isms_office)
    response = client.post(
        f"/incidents/{other.ref}/relations/",
        {"kind": "CAUSED_BY", "incident": incident.ref, "note": ""},
    )
    assert response.status_code == 302
    page = client.get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert other.ref in page and 'id="mail-messages"' in page
    client.post(f"/incidents/{incident.ref}/mail-messages/", {"subject": "別件名の同じ攻撃"})
    page = client.get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "別件名の同じ攻撃" in page
