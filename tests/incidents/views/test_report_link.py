"""The reporting link for people without an account: token, name and email, rate limit."""

import pytest
from django.test import override_settings

from incidents.models import Report
from incidents.services import intake_admin

REPORT = {
    "reporter_name": "派遣 太郎",
    "reporter_email": "haken@example.com",
    "what_happened": "CLICKED_LINK",
    "subject": "パスワードの有効期限",
}


def _url(link, step=""):
    return f"/r/{link.token}/{step}"


def test_the_link_works_without_an_account(client, link):
    assert client.get(_url(link)).status_code == 200
    assert client.post(_url(link, "first-aid/")).status_code == 302
    response = client.post(_url(link, "form/"), REPORT)
    assert response.status_code == 302
    assert response["Location"] == _url(link, "done/")
    report = Report.objects.get()
    assert report.reporter is None
    assert report.reporter_name == "派遣 太郎"
    assert report.reporter_email == "haken@example.com"
    assert report.first_aid_confirmed_at is not None
    done = client.get(_url(link, "done/"))
    assert report.number in done.text


def test_the_link_asks_only_what_happened_as_it_says(client, link):
    response = client.post(_url(link, "form/"), {"what_happened": "RECEIVED_ONLY"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.reporter_name, report.reporter_email) == ("", "")


def test_the_link_refuses_an_email_that_is_not_one(client, link):
    data = {**REPORT, "reporter_email": "not-an-address"}
    response = client.post(_url(link, "form/"), data)
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_a_tap_on_the_link_files_the_report_without_an_account(client, link):
    response = client.post(_url(link, "tap/"), {"tap_key": "t1"})
    assert response.status_code == 302
    assert response["Location"] == _url(link, "first-aid/")
    report = Report.objects.get()
    assert report.reporter is None
    client.post(_url(link, "form/"), {**REPORT, "reporter_phone": "090-1234-5678"})
    report.refresh_from_db()
    assert (report.reporter_name, report.reporter_phone) == ("派遣 太郎", "090-1234-5678")
    assert Report.objects.count() == 1


@pytest.mark.parametrize("step", ["", "first-aid/", "form/", "done/"])
def test_an_unknown_token_is_a_404_with_a_clear_message(client, db, step):
    response = client.get(f"/r/not-a-token/{step}")
    assert response.status_code == 404
    assert "reporting link is not valid" in response.text or "無効" in response.text


def test_a_revoked_token_no_longer_files_reports(client, link, organisation, isms_office):
    intake_admin.reporting_link_rotate(organisation=organisation, actor=isms_office)
    response = client.post(_url(link, "form/"), REPORT)
    assert response.status_code == 410
    assert Report.objects.count() == 0


@pytest.mark.parametrize("step", ["", "tap/", "first-aid/", "form/", "done/"])
def test_an_old_link_says_it_was_replaced_and_how_to_report_meanwhile(
    client, link, organisation, isms_office, step
):
    organisation.desk_phone = "03-1234-5678"
    organisation.desk_email = "isms@example.com"
    organisation.save()
    intake_admin.reporting_link_rotate(organisation=organisation, actor=isms_office)
    send = client.post if step == "tap/" else client.get  # the tap is a POST only
    response = send(_url(link, step), HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 410
    assert "新しい報告用リンク" in response.text
    assert organisation.name in response.text
    assert 'href="tel:03-1234-5678"' in response.text
    assert "電話：03-1234-5678" in response.text
    assert "isms@example.com" in response.text


def test_an_unknown_token_names_no_organisation(client, link, organisation):
    organisation.desk_phone = "03-1234-5678"
    organisation.save()
    response = client.get("/r/not-a-token/")
    assert response.status_code == 404
    assert organisation.name not in response.text
    assert "03-1234-5678" not in response.text


def test_the_confirmation_of_one_link_is_not_shown_on_another(client, link, organisation):
    client.post(_url(link, "form/"), REPORT)
    other = intake_admin.reporting_link_rotate(organisation=organisation, actor=link.created_by)
    response = client.get(_url(other, "done/"))
    assert response.status_code == 302


@override_settings(REPORT_LINK_LIMIT_PER_HOUR=3)
def test_submissions_from_one_address_are_limited_per_hour(client, link):
    for n in range(3):
        response = client.post(_url(link, "form/"), {**REPORT, "subject": f"件名 {n}"})
        assert response.status_code == 302
    response = client.post(_url(link, "form/"), {**REPORT, "subject": "もう一件"})
    assert response.status_code == 429
    assert Report.objects.count() == 3
    other_address = client.post(
        _url(link, "form/"), {**REPORT, "subject": "別の端末"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other_address.status_code == 302


def test_the_link_form_is_protected_by_csrf(link):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(_url(link, "form/"), REPORT)
    assert response.status_code == 403
    assert Report.objects.count() == 0


def test_the_organisation_wording_of_first_aid_is_shown(client, link, organisation, isms_office):
    intake_admin.intake_settings_update(
        organisation=organisation,
        actor=isms_office,
        first_aid_ja="LANケーブルを抜く\n<b>電源は切らない</b>",
        first_aid_en="Unplug the cable",
        triage_matrix={},
    )
    page = client.get(_url(link, "first-aid/"), HTTP_ACCEPT_LANGUAGE="ja")
    assert "LANケーブルを抜く" in page.text
    assert "&lt;b&gt;電源は切らない&lt;/b&gt;" in page.text
    english = client.get(_url(link, "first-aid/"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Unplug the cable" in english.text
