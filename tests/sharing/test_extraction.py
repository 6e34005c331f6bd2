"""Issue 22 item 1: indicators suggested from a report's text and its .eml (headers, body,
attachments) with ioc-finder, shown defanged, each accepted (an indicator, normalised) or
rejected by a person, both on the timeline; a rejected value is not suggested again."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.errors import Conflict
from incidents.models import Indicator
from incidents.services import intake, triage
from incidents.services.intake import ReportInput
from sharing import extraction, suggestions
from sharing.models import IndicatorSuggestion, SuggestionStatus

ATTACHMENT = b"MZ fake invoice macro"
EML = (
    b"From: =?utf-8?b?57WM55CG6YOo?= <keiri@evil.example.com>\r\n"
    b"Reply-To: payback@collect.example.com\r\n"
    b"Return-Path: <bounce@mailer.example.com>\r\n"
    b"Received: from mx.evil.example (mx.evil.example [203.0.113.45]) by mx.corp.example\r\n"
    b"Received: from relay.corp.local ([10.0.0.5]) by mx.corp.example\r\n"
    b"To: staff@corp.example\r\n"
    b"Subject: invoice\r\n"
    b"Message-ID: <abc@evil.example>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
    b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Please pay at https://pay.evil.example.com/login?id=7 today.\r\n"
    b"--b\r\nContent-Type: application/octet-stream\r\n"
    b'Content-Disposition: attachment; filename="invoice.xlsm"\r\n\r\n' + ATTACHMENT + b"\r\n"
    b"--b--\r\n"
)


@pytest.fixture
def mailed_incident(organisation, reporter, isms_office):
    data = ReportInput(
        what_happened="OPENED_ATTACHMENT",
        description="Go to hxxp://stage[.]evil[.]example[.]com/a and 198.51.100[.]23",
    )
    report = intake.report_submit(
        organisation=organisation,
        actor=reporter,
        data=data,
        eml=SimpleUploadedFile("mail.eml", EML, content_type="message/rfc822"),
    )
    return triage.event_promote(event=report.event, actor=isms_office)


def _values(incident):
    return {(s.kind, s.value) for s in IndicatorSuggestion.objects.filter(incident=incident)}


def test_defanged_text_is_refanged_into_suggestions():
    found = {
        (c.kind, c.value) for c in extraction.from_text("go to hxxp://bad[.]example[.]com/x now")
    }
    assert ("URL", "http://bad.example.com/x") in found
    assert ("DOMAIN", "bad.example.com") in found


def test_private_addresses_are_not_suggested():
    found = extraction.from_text("from 10.1.2.3 and 192.168.0.1 and 127.0.0.1")
    assert [c for c in found if c.kind == "IP"] == []


def test_the_eml_gives_its_senders_public_hops_body_urls_and_attachment_hashes():
    found = {(c.kind, c.value, c.source) for c in extraction.from_eml(EML)}
    assert ("SENDER_ADDRESS", "keiri@evil.example.com", "HEADER") in found
    assert ("SENDER_ADDRESS", "payback@collect.example.com", "HEADER") in found
    assert ("SENDER_ADDRESS", "bounce@mailer.example.com", "HEADER") in found
    assert ("IP", "203.0.113.45", "HEADER") not in found  # documentation range: not global
    assert ("URL", "https://pay.evil.example.com/login?id=7", "BODY") in found
    digest = hashlib.sha256(ATTACHMENT).hexdigest()
    assert ("FILE_SHA256", digest, "ATTACHMENT") in found


def test_a_public_received_hop_is_suggested():
    eml = EML.replace(b"203.0.113.45", b"8.8.4.4")
    found = {(c.kind, c.value) for c in extraction.from_eml(eml)}
    assert ("IP", "8.8.4.4") in found and ("IP", "10.0.0.5") not in found


def test_a_file_that_is_not_a_mail_suggests_nothing():
    assert extraction.from_eml(b"\x00\x01 not a mail") == []


def test_suggestions_are_shown_defanged():
    assert extraction.defang("http://evil.example/x") == "hxxp://evil[.]example/x"


def test_the_incidents_reports_are_read_once_and_a_second_run_adds_nothing(
    mailed_incident, isms_office
):
    added = suggestions.suggestions_extract(incident=mailed_incident, actor=isms_office)
    values = _values(mailed_incident)
    assert added == len(values) > 0
    assert ("URL", "http://stage.evil.example.com/a") in values
    assert ("SENDER_ADDRESS", "payback@collect.example.com") in values
    assert suggestions.suggestions_extract(incident=mailed_incident, actor=isms_office) == 0
    assert mailed_incident.timeline.filter(kind="indicator.suggested").count() == 1


def test_a_value_the_incident_already_holds_is_not_suggested(mailed_incident, isms_office):
    held = set(Indicator.objects.filter(incident=mailed_incident).values_list("kind", "digest"))
    suggestions.suggestions_extract(incident=mailed_incident, actor=isms_office)
    offered = set(
        IndicatorSuggestion.objects.filter(incident=mailed_incident).values_list("kind", "digest")
    )
    assert held and not (held & offered)


def test_an_accepted_suggestion_becomes_a_normalised_indicator_on_the_timeline(
    mailed_incident, isms_office
):
    suggestions.suggestions_extract(incident=mailed_incident, actor=isms_office)
    one = IndicatorSuggestion.objects.get(incident=mailed_incident, kind="URL", source="TEXT")
    done = suggestions.suggestion_accept(
        incident=mailed_incident, actor=isms_office, pk=one.pk, tlp="GREEN"
    )
    assert done.status == SuggestionStatus.ACCEPTED and done.indicator.tlp == "GREEN"
    assert done.indicator.normalized == "http://stage.evil.example.com/a"
    kinds = set(mailed_incident.timeline.values_list("kind", flat=True))
    assert {"indicator.added", "indicator.suggestion_accepted"} <= kinds
    with pytest.raises(Conflict):
        suggestions.suggestion_reject(incident=mailed_incident, actor=isms_office, pk=one.pk)


def test_a_rejected_suggestion_is_not_suggested_again_even_in_another_incident(
    mailed_incident, isms_office, organisation, reporter
):
    suggestions.suggestions_extract(incident=mailed_incident, actor=isms_office)
    one = IndicatorSuggestion.objects.get(
        incident=mailed_incident, kind="SENDER_ADDRESS", value="bounce@mailer.example.com"
    )
    suggestions.suggestion_reject(incident=mailed_incident, actor=isms_office, pk=one.pk)
    assert mailed_incident.timeline.filter(kind="indicator.suggestion_rejected").exists()
    assert not Indicator.objects.filter(incident=mailed_incident, value=one.value).exists()
    again = intake.report_submit(
        organisation=organisation,
        actor=reporter,
        data=ReportInput(
            what_happened="OPENED_ATTACHMENT", description="bounce@mailer.example.com"
        ),
    )
    other = triage.event_promote(event=again.event, actor=isms_office)
    suggestions.suggestions_extract(incident=other, actor=isms_office)
    assert ("SENDER_ADDRESS", "bounce@mailer.example.com") not in _values(other)


def test_the_room_shows_suggestions_defanged_and_a_person_rejects_one(
    client, mailed_incident, isms_office
):
    client.force_login(isms_office)
    response = client.post(f"/incidents/{mailed_incident.ref}/suggestions/extract/")
    assert response.status_code == 303
    room = client.get(f"/incidents/{mailed_incident.ref}/").content.decode()
    assert "hxxp://stage[.]evil[.]example[.]com/a" in room
    assert "http://stage.evil.example.com/a" not in room
    one = IndicatorSuggestion.objects.filter(incident=mailed_incident).first()
    reject = client.post(f"/incidents/{mailed_incident.ref}/suggestions/{one.pk}/reject/")
    assert reject.status_code == 303
    one.refresh_from_db()
    assert one.status == SuggestionStatus.REJECTED


def test_a_reader_cannot_decide_a_suggestion(client, mailed_incident, isms_office, reporter):
    suggestions.suggestions_extract(incident=mailed_incident, actor=isms_office)
    one = IndicatorSuggestion.objects.filter(incident=mailed_incident).first()
    client.force_login(reporter)
    response = client.post(f"/incidents/{mailed_incident.ref}/suggestions/{one.pk}/accept/")
    assert response.status_code in (403, 404)
    one.refresh_from_db()
    assert one.status == SuggestionStatus.PENDING
