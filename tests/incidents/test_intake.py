from incidents.models import Event, Incident, Indicator, MailDelivery
from incidents.services import triage


def test_a_report_starts_a_waiting_triage_item(file_report, reporter):
    report = file_report(actor=reporter)
    assert report.event.status == "RECEIVED"
    assert report.event.report_count == 1
    assert report.matched["new"] is True


def test_reports_of_one_email_form_one_triage_item_with_n_reporters(file_report, reporter):
    file_report(actor=reporter)
    file_report(reporter_email="a@example.com")
    third = file_report(reporter_email="b@example.com", sender="KEIRI@evil.example")
    assert Event.objects.count() == 1
    third.event.refresh_from_db()
    assert third.event.report_count == 3
    assert third.matched == {"target": "event", "id": third.event.pk, "kind": "URL"}


def test_sender_alone_does_not_group_two_different_emails(file_report):
    file_report(url="", subject="請求書")
    other = file_report(url="", subject="別件のお知らせ", reporter_email="c@example.com")
    assert Event.objects.count() == 2
    assert other.matched.get("new") is True


def test_sender_and_subject_together_group(file_report):
    file_report(url="", subject="Re: 請求書")
    second = file_report(url="", subject="請求書", reporter_email="c@example.com")
    assert Event.objects.count() == 1
    assert second.matched["kind"] == "SENDER_ADDRESS+SUBJECT"


def test_a_report_matching_an_open_incident_joins_it_as_a_delivery(file_report, incident):
    late = file_report(reporter_email="late@example.com", url="https://EVIL.example:443/invoice")
    assert late.incident == incident
    assert late.event is None
    assert late.matched["ref"] == incident.ref
    assert late.matched["kind"] == "URL"
    assert MailDelivery.objects.filter(message__incident=incident).count() == 2
    assert Event.objects.count() == 1


def test_promotion_turns_the_reports_into_indicators_and_deliveries(incident):
    kinds = set(Indicator.objects.filter(incident=incident).values_list("kind", flat=True))
    assert {"SENDER_ADDRESS", "SUBJECT", "URL"} <= kinds
    delivery = MailDelivery.objects.get(message__incident=incident)
    assert delivery.executed is True
    asset = incident.affected_assets.get()
    assert asset.asset.asset_tag == "PC-12"
    assert asset.infection_state == "SUSPECTED"
    assert asset.containment_state == "ISOLATED"
    assert asset.isolation_method == "LAN_UNPLUG"


def test_incident_references_are_gap_free_per_year(file_report, isms_office):
    refs = []
    for n in range(3):
        report = file_report(
            url=f"https://x{n}.example/", subject=f"件名{n}", reporter_email=f"r{n}@example.com"
        )
        refs.append(triage.event_promote(event=report.event, actor=isms_office).ref)
    year = Incident.objects.first().year
    assert refs == [f"INC-{year}-0001", f"INC-{year}-0002", f"INC-{year}-0003"]


def test_a_report_without_an_account_or_contact_is_still_filed(organisation):
    """Never lose a report: the desk would rather have it without a way to reply (issue 15)."""
    from incidents.services import intake

    report = intake.report_submit(
        organisation=organisation, actor=None, data=intake.ReportInput(subject="x")
    )
    assert (report.reporter_name, report.reporter_email) == ("", "")
    assert report.event is not None


def test_each_organisation_numbers_its_own_incidents(file_report, isms_office):
    from incidents.services import records
    from tests.factories import OrganisationFactory

    first = records.incident_declare(
        organisation=isms_office.organisation, actor=isms_office, title="a", category="OTHER"
    )
    other = records.incident_declare(
        organisation=OrganisationFactory(), actor=None, title="b", category="OTHER"
    )
    assert first.ref == other.ref


def test_idempotency_records_are_forgotten_after_a_day(db):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from incidents.models import IdempotencyRecord
    from incidents.tasks import purge_idempotency_records

    IdempotencyRecord.objects.create(
        owner="user:1", key="old", request_hash="x", status_code=201, response_body={}
    )
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        IdempotencyRecord.objects.create(
            owner="user:1", key="new", request_hash="x", status_code=201, response_body={}
        )
        assert purge_idempotency_records() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
