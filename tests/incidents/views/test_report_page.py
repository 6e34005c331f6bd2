"""The report as the office reads it: contact, the .eml as text, the file, and its evidence."""

from django.core.files.uploadedfile import SimpleUploadedFile

from incidents.models import CustodyEvent, EvidenceItem
from incidents.services import intake, triage

EML = (
    b"From: =?utf-8?b?57WM55CG6YOo?= <keiri@evil.example>\r\n"
    b"To: taro@example.com\r\n"
    b"Subject: =?utf-8?b?6KuL5rGC5pu4?=\r\n"
    b"Message-ID: <abc@evil.example>\r\n"
    b"Received: from mx.evil.example by mx.example.com\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: text/html; charset="utf-8"\r\n\r\n'
    b'<html><body><p>Open <a href="https://evil.example/x">this</a></p>'
    b"<script>alert(1)</script><img src=https://evil.example/pixel.gif></body></html>\r\n"
)


def _report_with_eml(organisation, actor, **overrides):
    eml = SimpleUploadedFile("mail.eml", EML, content_type="message/rfc822")
    data = intake.ReportInput(what_happened="OPENED_ATTACHMENT", **overrides)
    return intake.report_submit(organisation=organisation, actor=actor, data=data, eml=eml)


def test_the_office_reads_the_headers_and_the_text_never_the_html(
    as_user, organisation, reporter, isms_office
):
    report = _report_with_eml(organisation, reporter)
    page = as_user(isms_office).get(f"/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.text
    assert "keiri@evil.example" in text
    assert "mx.evil.example" in text  # the Received header
    assert "Open this" in text  # the HTML's text
    assert "<script>alert" not in text
    assert 'src="https://evil.example' not in text and "src=https://evil.example" not in text
    assert 'href="https://evil.example/x"' not in text


def test_the_eml_downloads_as_an_attachment_with_its_original_bytes(
    as_user, organisation, reporter, isms_office
):
    report = _report_with_eml(organisation, reporter)
    response = as_user(isms_office).get(f"/reports/{report.pk}/eml/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert report.number in response["Content-Disposition"]
    assert response["Content-Type"] == "message/rfc822"
    assert b"".join(response.streaming_content) == EML


def test_a_colleague_cannot_read_someone_elses_report(as_user, organisation, reporter):
    from tests.conftest import _holder

    report = _report_with_eml(organisation, reporter)
    colleague = _holder(organisation, "PR", "colleague")
    client = as_user(colleague)
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert client.get(f"/reports/{report.pk}/eml/").status_code == 404


def test_the_reporter_reads_their_own_report(as_user, organisation, reporter):
    report = _report_with_eml(organisation, reporter)
    assert as_user(reporter).get(f"/reports/{report.pk}/").status_code == 200


def test_promotion_keeps_the_eml_as_evidence_with_its_hash_and_custody(
    organisation, reporter, isms_office
):
    import hashlib

    report = _report_with_eml(organisation, reporter)
    incident = triage.event_promote(event=report.event, actor=isms_office)
    item = EvidenceItem.objects.get(incident=incident)
    assert item.sha256 == hashlib.sha256(EML).hexdigest()
    assert (item.kind, item.original_name, item.size) == (
        "MAIL_SAMPLE",
        f"{report.number}.eml",
        len(EML),
    )
    with item.file.open("rb") as kept:
        assert kept.read() == EML
    custody = list(CustodyEvent.objects.filter(evidence=item).values_list("action", "at"))
    assert custody[0] == ("COLLECTED", report.received_at)
    assert [action for action, _ in custody] == ["COLLECTED", "STORED"]
    assert incident.timeline.filter(kind="evidence.collected").count() == 1


def test_the_reporters_contact_shows_in_triage_the_report_and_the_incident(
    as_user, organisation, isms_office
):
    data = intake.ReportInput(
        subject="件名",
        reporter_name="派遣 花子",
        reporter_email="hanako@example.com",
        reporter_phone="090-1111-2222",
    )
    report = intake.report_submit(organisation=organisation, actor=None, data=data)
    client = as_user(isms_office)
    triage_page = client.get(f"/triage/{report.event_id}/").text
    incident = triage.event_promote(event=report.event, actor=isms_office)
    for text in (
        triage_page,
        client.get(f"/reports/{report.pk}/").text,
        client.get(f"/incidents/{incident.ref}/").text,
    ):
        assert "派遣 花子" in text
        assert 'href="mailto:hanako@example.com"' in text
        assert 'href="tel:090-1111-2222"' in text


def test_promotion_without_an_eml_keeps_no_evidence(organisation, reporter, isms_office):
    report = intake.report_submit(
        organisation=organisation, actor=reporter, data=intake.ReportInput(subject="x")
    )
    incident = triage.event_promote(event=report.event, actor=isms_office)
    assert not EvidenceItem.objects.filter(incident=incident).exists()
