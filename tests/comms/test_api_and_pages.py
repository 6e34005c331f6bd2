"""The communications API and pages: drafts from templates, N-4 as a 400 with the rule, the
announcement as a 409, PR let into the communications of the incidents where PR holds a task,
another organisation never."""

import re

import pytest
from rest_framework.test import APIClient

from comms.models import Communication
from incidents.models import Task
from tests.comms.conftest import announcement, pr_task, written


def _api(user):
    client = APIClient()
    client.force_login(user)
    return client


def _url(incident, tail=""):
    return f"/api/v1/incidents/{incident.ref}/communications/{tail}"


def test_n4_over_the_api_is_a_400_with_the_rules_code_and_message(incident, isms_office):
    answer = _api(isms_office).post(
        _url(incident),
        {"audience": "MEDIA", "tlp": "AMBER", "subject": "お知らせ"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "TLP_NOT_ALLOWED_FOR_AUDIENCE"
    assert "TLP:CLEAR" in answer.json()["message"] and "N-4" in answer.json()["message"]
    assert not Communication.objects.exists()


def test_a_press_release_drafted_by_pr_is_sent_only_after_the_announcement(
    incident, pr, csirt_lead, decision_maker, isms_office
):
    pr_task(incident, isms_office)
    drafted = _api(pr).post(_url(incident), {"template": "PRESS_RELEASE"}, format="json")
    assert drafted.status_code == 201, drafted.json()
    body = drafted.json()
    assert (body["audience"], body["tlp"], body["status"]) == ("PUBLIC", "CLEAR", "DRAFT")
    assert "【要記入：" in body["body"] and "テスト株式会社" in body["body"]
    pk = body["id"]
    written(Communication.objects.get(pk=pk), pr)
    approved = _api(csirt_lead).post(
        _url(incident, f"{pk}/status/"), {"status": "APPROVED"}, format="json"
    )
    assert approved.status_code == 200
    early = _api(pr).post(_url(incident, f"{pk}/status/"), {"status": "SENT"}, format="json")
    assert (early.status_code, early.json()["code"]) == (409, "ANNOUNCEMENT_NOT_APPROVED")
    decision = announcement(incident, decision_maker)
    sent = _api(pr).post(
        _url(incident, f"{pk}/status/"),
        {"status": "SENT", "reference": "https://example.jp/news/1"},
        format="json",
    )
    assert sent.status_code == 200
    assert (sent.json()["status"], sent.json()["announcement"]) == ("SENT", decision.pk)


def test_versions_are_listed_newest_first(incident, isms_office):
    made = _api(isms_office).post(
        _url(incident), {"audience": "ALL_STAFF", "subject": "注意喚起"}, format="json"
    )
    pk = made.json()["id"]
    _api(isms_office).patch(_url(incident, f"{pk}/"), {"body": "第2版"}, format="json")
    versions = _api(isms_office).get(_url(incident, f"{pk}/versions/")).json()
    assert [v["number"] for v in versions] == [2, 1]


def test_another_organisation_never_sees_the_communications(incident, isms_office, outsider):
    _api(isms_office).post(
        _url(incident), {"audience": "ALL_STAFF", "subject": "注意喚起"}, format="json"
    )
    assert _api(outsider).get(_url(incident)).status_code == 404
    ours = _api(isms_office).get("/api/v1/external-contacts/").json()["results"]
    theirs = _api(outsider).get("/api/v1/external-contacts/").json()["results"]
    assert not {row["id"] for row in ours} & {row["id"] for row in theirs}
    assert _api(outsider).get(f"/api/v1/external-contacts/{ours[0]['id']}/").status_code == 404


def test_the_directory_starts_with_the_japanese_defaults(isms_office):
    rows = _api(isms_office).get("/api/v1/external-contacts/").json()["results"]
    kinds = [row["kind"] for row in rows]
    assert kinds == [
        "PPC",
        "IPA",
        "JPCERT_CC",
        "POLICE",
        "SECTOR_REGULATOR",
        "INSURER",
        "IT_VENDOR",
    ]


def test_the_incident_page_links_to_its_communications(client, incident, isms_office):
    client.force_login(isms_office)
    page = client.get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="ja").text
    assert f"/incidents/{incident.ref}/communications/" in page


def test_pr_reads_the_communications_of_an_incident_only_where_pr_holds_a_task(
    client, incident, pr, isms_office
):
    Task.objects.filter(incident=incident, owner_role="PR").delete()
    client.force_login(pr)
    page = f"/incidents/{incident.ref}/communications/"
    assert client.get(page).status_code == 404
    assert _api(pr).get(_url(incident)).status_code == 404
    drafted = _api(pr).post(_url(incident), {"template": "PRESS_RELEASE"}, format="json")
    assert drafted.status_code == 404
    assert not Communication.objects.exists()
    pr_task(incident, isms_office)
    assert client.get(page).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["communications/templates/", "communications/contacts/"],
)
def test_the_organisation_pages_answer_in_japanese_without_codes(client, isms_office, path):
    client.force_login(isms_office)
    page = client.get(f"/{path}", HTTP_ACCEPT_LANGUAGE="ja").text
    assert "None" not in page and "STAFF_WARNING" not in page and "JPCERT_CC<" not in page


def test_the_staff_warning_is_drafted_approved_and_sent_from_the_pages(
    client, incident, isms_office
):
    client.force_login(isms_office)
    made = client.post(
        f"/incidents/{incident.ref}/communications/from-template/",
        {"template": "STAFF_WARNING", "language": "ja"},
    )
    assert made.status_code == 302
    warning = Communication.objects.get()
    detail = made["Location"]
    page = client.get(detail, HTTP_ACCEPT_LANGUAGE="ja").text
    assert "【要記入" in page
    status = f"/incidents/{incident.ref}/communications/{warning.pk}/status/"
    refused = client.post(status, {"status": "APPROVED"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert refused["Location"] == detail
    assert "【要記入】の箇所を書き込んでから承認してください。" in client.get(detail).text
    written(warning, isms_office)
    page = client.get(detail, HTTP_ACCEPT_LANGUAGE="ja").text
    assert "【注意喚起】" in page and "TLP:AMBER+STRICT" in page
    status = f"/incidents/{incident.ref}/communications/{warning.pk}/status/"
    assert client.post(status, {"status": "APPROVED"}).status_code == 302
    assert client.post(status, {"status": "SENT", "reference": "全社メール"}).status_code == 302
    warning.refresh_from_db()
    assert warning.status == "SENT"
    room = client.get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="ja").text
    # The words, not the stored record behind its toggle (issue 19: the JSON as stored).
    room = re.sub(r'<details class="raw">.*?</details>', "", room, flags=re.DOTALL)
    assert "送信済み" in room and ">SENT<" not in room and "ALL_STAFF" not in room
    assert "文面の状態を変更" in room and "を「承認済み」から「送信済み」にしました。" in room


def test_the_bcp_plan_shows_the_external_contacts_beside_the_call_tree(client, isms_office):
    client.force_login(isms_office)
    client.get("/communications/contacts/")  # the defaults, seeded on first read
    page = client.get("/bcp/plan/", HTTP_ACCEPT_LANGUAGE="ja").text
    assert 'id="external-contacts"' in page and "個人情報保護委員会" in page
