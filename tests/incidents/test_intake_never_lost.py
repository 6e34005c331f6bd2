"""Issue 12, item 1: no report is ever lost to a value that a derived record cannot hold.

A report's PC name becomes the inventory's asset tag (64 characters). A longer label used to be
accepted by every intake path and then fail the transaction with a 500, losing the report; a
waiting item holding one failed promotion and attachment forever.
"""

import pytest
from django.db import DatabaseError, IntegrityError
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import ApiKeyScope
from common.errors import InvalidInput
from incidents.models import Asset, Event, Report, TimelineEntry
from incidents.services import intake, intake_admin, records, triage
from tests.incidents.api.conftest import API, key_client
from tests.incidents.conftest import PHISH

LONG_LABEL = "PC-" + "x" * 70  # 73 characters: the report's column holds it, an asset tag not
MAIL_FORM = {
    "what_happened": "OPENED_ATTACHMENT",
    "sender": "keiri@evil.example",
    "subject": PHISH["subject"],
    "asset_label": LONG_LABEL,
    "cable_pulled": "yes",
}


@pytest.fixture
def link(organisation, isms_office):
    return intake_admin.reporting_link_rotate(organisation=organisation, actor=isms_office)


@pytest.fixture
def gateway(organisation, isms_office):
    _key, plain = account_services.api_key_create(
        organisation=organisation, actor=isms_office, name="Mail gateway", scope=ApiKeyScope.WRITE
    )
    return key_client(plain)


def _store_long_label(report: Report) -> Report:
    """A report filed before the forms were bounded: the column took what the form allowed."""
    Report.objects.filter(pk=report.pk).update(asset_label=LONG_LABEL)
    report.refresh_from_db()
    return report


# --- The three intake paths refuse the label with a 400 in the user's language --------------


def test_the_report_form_refuses_a_label_longer_than_an_asset_tag(client, reporter, incident):
    client.force_login(reporter)
    before = Report.objects.count()
    response = client.post("/report/form/", MAIL_FORM, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 400
    assert "64 文字以下" in response.text
    assert Report.objects.count() == before


def test_the_reporting_link_refuses_a_label_longer_than_an_asset_tag(client, link, incident):
    data = {**MAIL_FORM, "reporter_name": "派遣 太郎", "reporter_email": "haken@example.com"}
    before = Report.objects.count()
    response = client.post(f"/r/{link.token}/form/?lang=en", data)
    assert response.status_code == 400
    assert "at most 64 characters (it has 73)" in response.text
    assert Report.objects.count() == before


@pytest.mark.parametrize(("language", "words"), [("ja", "64文字"), ("en", "64 characters")])
def test_the_api_refuses_a_label_longer_than_an_asset_tag(gateway, incident, language, words):
    body = {**PHISH, "asset_label": LONG_LABEL, "reporter_email": "a@example.com"}
    response = gateway.post(f"{API}/reports/", body, format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert response.json()["code"] == "max_length"
    assert response.json()["details"]["field"] == "asset_label"
    assert words in response.json()["message"]


def test_the_service_refuses_a_label_longer_than_an_asset_tag(file_report, incident):
    with pytest.raises(InvalidInput) as refused:
        file_report(reporter_email="late@example.com", asset_label=LONG_LABEL)
    assert refused.value.code == "max_length"
    assert refused.value.details["field"] == "asset_label"


# --- A waiting item that holds such a label is still triaged ----------------------------------


def test_a_waiting_item_with_an_over_long_label_is_promoted_and_the_gap_shown(
    file_report, reporter, isms_office
):
    report = _store_long_label(file_report(actor=reporter, asset_label="PC-1"))
    incident = triage.event_promote(event=report.event, actor=isms_office)
    report.refresh_from_db()
    assert report.incident == incident
    assert report.intake_problem == "ASSET"
    assert not Asset.objects.exists()
    entry = TimelineEntry.objects.get(incident=incident, kind="report.intake_problem")
    assert entry.payload["report"] == report.number
    assert entry.payload["problem"] == "ASSET"
    # The rest of the report's records were kept: its indicators and its delivery.
    assert incident.indicators.exists()
    assert incident.mail_messages.get().deliveries.count() == 1


def test_a_waiting_item_with_an_over_long_label_is_attached_and_the_gap_shown(
    file_report, reporter, isms_office, incident
):
    other = file_report(actor=reporter, url="https://other.example/x", subject="別件", sender="")
    other = _store_long_label(other)
    triage.event_attach(event=other.event, incident=incident, actor=isms_office)
    other.refresh_from_db()
    assert other.incident == incident
    assert other.intake_problem == "ASSET"
    assert TimelineEntry.objects.filter(incident=incident, kind="report.intake_problem").exists()


def test_promoting_over_the_api_answers_201_and_shows_the_problem(
    file_report, reporter, isms_office
):
    report = _store_long_label(file_report(actor=reporter, asset_label="PC-1"))
    client = APIClient()
    client.force_login(isms_office)
    response = client.post(f"{API}/events/{report.event_id}/promote/", {}, format="json")
    assert response.status_code == 201
    shown = client.get(f"{API}/reports/{report.pk}/").json()
    assert shown["intake_problem"] == "ASSET"
    assert shown["incident"] == response.json()["ref"]


# --- A derived record that fails never takes the report with it -------------------------------


def test_a_failing_asset_record_keeps_the_report_in_its_incident(
    file_report, incident, monkeypatch
):
    def broken(*args, **kwargs):
        raise DatabaseError("the inventory is broken")

    monkeypatch.setattr(records, "_record_reporter_asset", broken)
    late = file_report(reporter_email="late@example.com", asset_label="PC-77")
    late.refresh_from_db()
    assert late.incident == incident
    assert late.intake_problem == "ASSET"
    assert "the inventory is broken" in late.intake_problem_detail
    entry = TimelineEntry.objects.get(incident=incident, kind="report.intake_problem")
    assert entry.payload == {
        "report": late.number,
        "problem": "ASSET",
        "detail": late.intake_problem_detail,
    }
    # The delivery of this report was recorded before the asset failed, and kept.
    assert incident.mail_messages.get().deliveries.filter(recipient_email="late@example.com")


def test_failing_mail_records_keep_the_report_and_its_asset(file_report, incident, monkeypatch):
    def broken(*args, **kwargs):
        raise IntegrityError("indicator insert failed")

    monkeypatch.setattr(records, "_add_mail_indicators", broken)
    late = file_report(reporter_email="late@example.com", asset_label="PC-77")
    late.refresh_from_db()
    assert late.incident == incident
    assert late.intake_problem == "MAIL_RECORDS"
    assert incident.affected_assets.filter(asset__asset_tag="PC-77").exists()


def test_failing_grouping_keeps_the_report_in_a_flagged_triage_item_of_its_own(
    file_report, reporter, monkeypatch, client, isms_office
):
    file_report(actor=reporter)  # a waiting item this report would have joined

    def broken(*args, **kwargs):
        raise DatabaseError("grouping keys could not be written")

    monkeypatch.setattr(intake, "_save_keys", broken)
    report = file_report(reporter_email="second@example.com")
    report.refresh_from_db()
    assert report.intake_problem == "GROUPING"
    assert report.event is not None
    assert report.event.report_count == 1
    assert Event.objects.count() == 2
    client.force_login(isms_office)
    queue = client.get("/triage/?lang=en")
    assert queue.text.count("Needs attention: a report was not fully recorded") == 1
    item = client.get(f"/triage/{report.event_id}/?lang=en")
    assert "could not be grouped" in item.text


def test_the_triage_item_page_shows_which_record_is_missing(
    file_report, reporter, isms_office, client
):
    report = _store_long_label(file_report(actor=reporter, asset_label="PC-1"))
    incident = triage.event_promote(event=report.event, actor=isms_office)
    client.force_login(isms_office)
    page = client.get(f"/incidents/{incident.ref}/?lang=en")
    assert "Not recorded from a report" in page.text
    assert report.number in page.text
