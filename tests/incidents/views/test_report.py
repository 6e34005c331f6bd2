"""The one-tap report of logged-in staff: tap (the report is filed) → first aid → details →
confirmation; and the received-only path, which files at the form."""

import re
from datetime import timedelta

import time_machine

from common import clock
from incidents.models import Event, Report

START, TAP, FIRST_AID = "/report/", "/report/tap/", "/report/first-aid/"
FORM, DONE = "/report/form/", "/report/done/"
# A script element without a src (the strict CSP refuses it); static files are fine.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)")
OPENED = {
    "what_happened": "OPENED_ATTACHMENT",
    "sender": "keiri@evil.example",
    "subject": "【至急】請求書の送付",
    "attachment_name": "invoice.xlsm",
    "asset_label": "PC-0123",
    "cable_pulled": "yes",
}


def test_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get(START)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/report/")


def test_start_screen_shows_the_big_button_and_the_received_only_path(as_user, reporter):
    response = as_user(reporter).get(START)
    assert response.status_code == 200
    assert 'action="/report/tap/"' in response.text
    assert 'name="tap_key"' in response.text
    assert 'href="/report/form/?what=RECEIVED_ONLY"' in response.text
    assert not INLINE_SCRIPT.search(response.text)


def test_first_aid_shows_the_default_steps_with_the_desk_phone(as_user, reporter, organisation):
    response = as_user(reporter).get(FIRST_AID, HTTP_ACCEPT_LANGUAGE="en")
    assert "Pull the LAN cable" in response.text
    assert 'href="tel:03-1234-5678"' in response.text
    assert "Your report has been sent" not in response.text  # nothing tapped: nothing claimed


def test_confirming_first_aid_records_the_server_time_and_redirects(as_user, reporter):
    client = as_user(reporter)
    moment = clock.now().replace(hour=0, minute=5, second=0, microsecond=0)  # 09:05 JST
    with time_machine.travel(moment, tick=False):
        response = client.post(FIRST_AID)
        assert response.status_code == 302
        assert response["Location"] == FORM
        form_page = client.get(FORM)
    assert "09:05" in form_page.text
    assert client.session["incidents.first_aid"]["at"] == moment.isoformat()


def test_the_whole_flow_files_a_one_tap_report_with_the_confirmation_time(as_user, reporter):
    client = as_user(reporter)
    client.post(FIRST_AID)
    response = client.post(FORM, OPENED)
    assert response.status_code == 302
    assert response["Location"] == DONE
    report = Report.objects.get()
    assert report.reporter == reporter
    assert report.channel == "ONE_TAP"
    assert report.first_aid_confirmed_at is not None
    assert report.cable_pulled is True
    assert report.event.priority == "P2"  # opened: impact MEDIUM in the triage matrix
    done = client.get(DONE)
    assert done.status_code == 200
    assert report.number in done.text
    assert "incidents.first_aid" not in client.session


def test_reloading_the_confirmation_does_not_file_again(as_user, reporter):
    client = as_user(reporter)
    client.post(FORM, OPENED)
    client.get(DONE)
    client.get(DONE)
    assert Report.objects.count() == 1


def test_only_received_path_preselects_the_answer_and_needs_no_first_aid(as_user, reporter):
    client = as_user(reporter)
    page = client.get(f"{FORM}?what=RECEIVED_ONLY")
    assert re.search(r'value="RECEIVED_ONLY"[^>]*checked', page.text)
    response = client.post(FORM, {"what_happened": "RECEIVED_ONLY", "subject": "請求書"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.first_aid_confirmed_at is None
    assert report.event.priority == "P3"


def test_what_happened_is_required_and_nothing_is_filed_without_it(as_user, reporter):
    response = as_user(reporter).post(FORM, {"subject": "請求書"})
    assert response.status_code == 400
    assert 'class="field has-error"' in response.text
    assert Report.objects.count() == 0


def test_a_future_mail_time_is_refused(as_user, reporter):
    future = (clock.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    data = {**OPENED, "mail_received_at": future}
    response = as_user(reporter).post(FORM, data)
    assert response.status_code == 400
    assert Event.objects.count() == 0


def test_an_old_first_aid_confirmation_is_not_carried_into_the_report(as_user, reporter):
    client = as_user(reporter)
    with time_machine.travel(clock.now() - timedelta(days=1)):
        client.post(FIRST_AID)
    client.post(FORM, OPENED)
    assert Report.objects.get().first_aid_confirmed_at is None


def test_a_forged_session_time_is_ignored(as_user, reporter):
    client = as_user(reporter)
    session = client.session
    session["incidents.first_aid"] = {"scope": f"user:{reporter.pk}", "at": "not a time"}
    session.save()
    client.post(FORM, OPENED)
    assert Report.objects.get().first_aid_confirmed_at is None


def test_html_in_text_fields_is_stored_as_text_and_rendered_escaped(as_user, reporter):
    client = as_user(reporter)
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(FORM, {**OPENED, "subject": payload, "description": payload})
    report = Report.objects.get()
    assert report.subject == payload
    done = client.get(DONE)
    assert "<script>alert" not in done.text


def test_confirmation_without_a_filed_report_goes_back_to_the_start(as_user, reporter):
    response = as_user(reporter).get(DONE)
    assert response.status_code == 302
    assert response["Location"] == START


def test_an_eml_that_does_not_parse_is_kept_and_the_report_accepted(as_user, reporter):
    from django.core.files.uploadedfile import SimpleUploadedFile

    eml = SimpleUploadedFile("mail.eml", b"\x00\x01 not a mail", content_type="message/rfc822")
    response = as_user(reporter).post(FORM, {**OPENED, "eml": eml})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.eml.name.endswith(".eml")
    assert "mail.eml" not in report.eml.name
    assert report.eml_parse_error


def test_pages_carry_a_csrf_token_and_no_inline_script_or_style(as_user, reporter):
    client = as_user(reporter)
    for url in (START, FIRST_AID, FORM):
        text = client.get(url).text
        assert not INLINE_SCRIPT.search(text)
        assert "style=" not in text
    assert "csrfmiddlewaretoken" in client.get(FORM).text


# --- report first, then first aid (issue 15) ------------------------------------------------


def test_the_tap_files_the_report_before_first_aid_is_shown(as_user, reporter):
    client = as_user(reporter)
    response = client.post(TAP, {"tap_key": "k1", "pc": "PC-0123"})
    assert response.status_code == 302
    assert response["Location"] == FIRST_AID
    report = Report.objects.get()
    assert (report.reporter, report.channel, report.asset_label) == (reporter, "ONE_TAP", "PC-0123")
    assert report.received_at is not None
    assert report.event.status == "RECEIVED"
    assert report.event.priority == "P2"  # opened: impact MEDIUM before anything else is said
    page = client.get(FIRST_AID, HTTP_ACCEPT_LANGUAGE="en")
    assert report.number in page.text
    assert "Pull the LAN cable" in page.text
    assert "/report/details/" in page.text  # the phone link
    assert "<svg" in page.text  # its QR code


def test_a_repeated_tap_files_one_report(as_user, reporter):
    client = as_user(reporter)
    client.post(TAP, {"tap_key": "same"})
    client.post(TAP, {"tap_key": "same"})
    assert Report.objects.count() == 1


def test_the_start_page_gives_each_visit_its_own_tap_key(as_user, reporter):
    client = as_user(reporter)
    keys = {re.search(r'name="tap_key" value="(\w+)"', client.get(START).text)[1] for _ in "ab"}
    assert len(keys) == 2


def test_the_pc_of_a_desktop_shortcut_travels_with_the_tap(as_user, reporter):
    page = as_user(reporter).get(f"{START}?pc=PC-0456")
    assert 'name="pc" value="PC-0456"' in page.text


def test_the_details_complete_the_tapped_report_without_filing_another(as_user, reporter):
    client = as_user(reporter)
    client.post(TAP, {"tap_key": "k1"})
    client.post(FIRST_AID)
    response = client.post(FORM, OPENED)
    assert response.status_code == 302
    assert response["Location"] == DONE
    report = Report.objects.get()
    assert (report.subject, report.sender, report.asset_label) == (
        "【至急】請求書の送付",
        "keiri@evil.example",
        "PC-0123",
    )
    assert report.first_aid_confirmed_at is not None
    assert report.details_at is not None
    assert report.event.summary == "【至急】請求書の送付"
    assert Event.objects.count() == 1


def test_the_details_form_of_a_tapped_report_shows_its_number(as_user, reporter):
    client = as_user(reporter)
    client.post(TAP, {"tap_key": "k1"})
    page = client.get(FORM)
    assert Report.objects.get().number in page.text


def test_details_sent_twice_leave_one_report_as_the_first_time(as_user, reporter):
    from incidents.views.report import details_url

    client = as_user(reporter)
    client.post(TAP, {"tap_key": "k1"})
    report = Report.objects.get()

    class _Request:
        def build_absolute_uri(self, path):
            return path

    url = details_url(_Request(), report)
    client.logout()
    for _ in range(2):
        response = client.post(url, OPENED)
        assert response.status_code == 302
    report.refresh_from_db()
    assert Report.objects.count() == 1
    assert report.subject == "【至急】請求書の送付"
    assert report.keys.count() == 2  # sender and subject, once each


def test_a_forged_details_link_is_a_404(client, db):
    assert client.get("/report/details/not-signed/").status_code == 404


def test_details_naming_a_waiting_campaign_join_it_and_close_the_tapped_item(as_user, reporter):
    client = as_user(reporter)
    client.post(FORM, OPENED)  # the first report of the email, filed at the form
    campaign = Report.objects.get().event
    client.post(TAP, {"tap_key": "k2"})
    tapped = Report.objects.exclude(event=campaign).get()
    own_item = tapped.event
    client.post(FORM, OPENED)
    tapped.refresh_from_db()
    own_item.refresh_from_db()
    campaign.refresh_from_db()
    assert tapped.event == campaign
    assert campaign.report_count == 2
    assert (own_item.status, own_item.disposition) == ("DUPLICATE", "duplicate")
