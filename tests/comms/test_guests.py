"""Outside responders let into one incident only (issue 17 item 4): the one-time link, the one
incident and nothing else, the TLP ceiling, expiry and revocation at the second, every view and
download on the incident's timeline, another organisation never."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from common import clock
from common.errors import Conflict, InvalidInput
from comms.models import GuestInvitation
from comms.services import guests
from incidents import selectors as incident_selectors
from incidents.access import PermissionDeniedError
from incidents.models import EvidenceItem, TimelineEntry
from incidents.services import evidence, triage
from tests.factories import OrganisationFactory, UserFactory

PASSWORD = "correct-horse-battery-42"


def _invite(
    incident, lead, *, role="READ", ceiling="AMBER_STRICT", days=7, email="sato@xyz.example"
):
    invitation, token = guests.guest_invite(
        incident=incident,
        actor=lead,
        email=email,
        name="佐藤（XYZフォレンジック）",
        role=role,
        expires_at=clock.now().replace(microsecond=0) + timedelta(days=days),
        tlp_ceiling=ceiling,
        base_url="https://csirt.example",
    )
    return invitation, token


def _signed_in(token):
    client = Client()
    answer = client.post(
        f"/guest/accept/{token}/", {"password": PASSWORD, "password_again": PASSWORD}
    )
    assert answer.status_code == 302 and answer["Location"] == "/guest/"
    return client


@pytest.fixture
def second_incident(file_report, isms_office, reporter):
    report = file_report(
        actor=reporter,
        asset_label="PC-99",
        sender="other@bad.example",
        subject="別件の不審メール",
        url="https://bad.example/x",
    )
    return triage.event_promote(event=report.event, actor=isms_office)


@pytest.fixture
def stored(incident, handler):
    return evidence.evidence_upload(
        incident=incident,
        actor=handler,
        upload=SimpleUploadedFile("mail.eml", b"From: x\n\nbody", content_type="message/rfc822"),
    )


def test_the_lead_invites_on_the_incident_page_and_the_mail_carries_a_one_time_link(
    client, incident, csirt_lead, django_capture_on_commit_callbacks
):
    client.force_login(csirt_lead)
    expiry = (clock.now() + timedelta(days=7)).astimezone().strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"/incidents/{incident.ref}/guests/",
            {
                "email": "sato@xyz.example",
                "name": "佐藤",
                "role": "CONTRIBUTE",
                "expires_at": expiry,
                "tlp_ceiling": "AMBER_STRICT",
                "language": "ja",
            },
        )
    assert answer.status_code == 302
    invitation = GuestInvitation.objects.get()
    (sent,) = mail.outbox
    token = re.search(r"/guest/accept/([^/\s]+)/", sent.body).group(1)
    assert invitation.token_hash == guests.hash_token(token) and token not in invitation.token_hash
    assert incident.ref in sent.subject
    page = client.get(f"/incidents/{incident.ref}/guests/")
    assert "sato@xyz.example" in page.text and "まだリンクが開かれていません" in page.text
    assert TimelineEntry.objects.filter(incident=incident, kind="guest.invited").exists()


def test_an_invited_guest_sees_the_incident_and_gets_404_for_another_incident_and_for_lists(
    incident, second_incident, csirt_lead
):
    _invitation, token = _invite(incident, csirt_lead)
    guest = _signed_in(token)
    room = guest.get("/guest/")
    assert room.status_code == 200 and incident.ref in room.text and incident.title in room.text
    assert second_incident.ref not in room.text
    for path in (
        f"/incidents/{second_incident.ref}/",
        f"/incidents/{incident.ref}/",
        "/incidents/",
        "/dashboard/",
        f"/incidents/{incident.ref}/communications/",
        "/api/v1/incidents/",
        f"/api/v1/incidents/{second_incident.ref}/",
    ):
        assert guest.get(path).status_code == 404, path
    assert guest.get("/")["Location"] == "/guest/"
    user = GuestInvitation.objects.get().guest
    assert list(incident_selectors.incidents_visible_to(user)) == [incident]


def test_the_link_works_once(incident, csirt_lead):
    _invitation, token = _invite(incident, csirt_lead)
    _signed_in(token)
    again = Client().post(
        f"/guest/accept/{token}/",
        {"password": "another-pass-99", "password_again": "another-pass-99"},
    )
    assert again.status_code == 404
    with pytest.raises(Conflict) as refused:
        guests.guest_accept(token=token, password="another-pass-99")
    assert refused.value.code == "LINK_DEAD"
    assert Client().get("/guest/accept/not-a-token/").status_code == 404


def test_a_guest_cannot_read_above_the_tlp_ceiling(incident, csirt_lead, stored):
    incident.tlp = "RED"
    incident.save(update_fields=["tlp"])
    _invitation, token = _invite(incident, csirt_lead, ceiling="AMBER", role="CONTRIBUTE")
    guest = _signed_in(token)
    room = guest.get("/guest/")
    assert room.status_code == 200 and incident.ref in room.text
    assert incident.title not in room.text and "mail.eml" not in room.text
    assert guest.get(f"/guest/evidence/{stored.pk}/").status_code == 404
    user = GuestInvitation.objects.get().guest
    with pytest.raises(PermissionDeniedError):
        evidence.evidence_upload(
            incident=incident, actor=user, upload=SimpleUploadedFile("x.txt", b"x")
        )


def test_a_guest_loses_access_at_expiry_one_second_before_is_allowed(incident, csirt_lead):
    invitation, token = _invite(incident, csirt_lead, days=7)
    guest = _signed_in(token)
    with time_machine.travel(invitation.expires_at - timedelta(seconds=1), tick=False):
        assert guest.get("/guest/").status_code == 200
    with time_machine.travel(invitation.expires_at, tick=False):
        ended = guest.get("/guest/")
        assert ended.status_code == 403 and incident.title not in ended.text
        user = GuestInvitation.objects.get().guest
        assert not incident_selectors.incidents_visible_to(user).exists()
    assert guest.get("/guest/").status_code == 302  # signed out: to the login page


def test_a_revoked_guest_is_refused_at_the_next_request(incident, csirt_lead, client):
    invitation, token = _invite(incident, csirt_lead)
    guest = _signed_in(token)
    assert guest.get("/guest/").status_code == 200
    client.force_login(csirt_lead)
    answer = client.post(f"/incidents/{incident.ref}/guests/{invitation.pk}/revoke/")
    assert answer.status_code == 302
    assert guest.get("/guest/").status_code == 403
    assert TimelineEntry.objects.filter(incident=incident, kind="guest.revoked").exists()
    with pytest.raises(Conflict):
        guests.guest_revoke(invitation=invitation, actor=csirt_lead)


def test_each_view_and_download_by_a_guest_is_on_the_incidents_timeline(
    incident, csirt_lead, stored
):
    _invitation, token = _invite(incident, csirt_lead)
    guest = _signed_in(token)
    guest.get("/guest/")
    guest.get("/guest/")
    download = guest.get(f"/guest/evidence/{stored.pk}/")
    assert (
        download.status_code == 200 and b"".join(download.streaming_content) == b"From: x\n\nbody"
    )
    user = GuestInvitation.objects.get().guest
    mine = TimelineEntry.objects.filter(incident=incident, actor=user)
    assert mine.filter(kind="guest.viewed").count() == 2
    (downloaded,) = mine.filter(kind="guest.downloaded")
    assert downloaded.payload["evidence"] == stored.pk
    assert downloaded.payload["sha256"] == stored.sha256


def test_a_contributing_guest_adds_evidence_and_a_reading_guest_cannot(incident, csirt_lead):
    _invitation, token = _invite(incident, csirt_lead, role="CONTRIBUTE")
    guest = _signed_in(token)
    added = guest.post(
        "/guest/",
        {
            "kind": "OTHER",
            "description": "メモリダンプ",
            "file": SimpleUploadedFile("m.bin", b"mem"),
        },
    )
    assert added.status_code == 302
    item = EvidenceItem.objects.get(incident=incident)
    assert item.collected_by == GuestInvitation.objects.get().guest
    _reader, token = _invite(incident, csirt_lead, role="READ", email="ito@vendor.example")
    reader = _signed_in(token)
    refused = reader.post("/guest/", {"kind": "OTHER", "file": SimpleUploadedFile("n.bin", b"x")})
    assert EvidenceItem.objects.filter(incident=incident).count() == 1
    assert refused.status_code == 403 and 'data-code="GUEST_READ_ONLY"' in refused.text


def test_a_second_organisation_is_never_reachable(incident, csirt_lead, client):
    other = OrganisationFactory(name="別会社")
    other_lead = UserFactory(organisation=other, username="other-lead")
    from tests.factories import RoleAssignmentFactory

    RoleAssignmentFactory(organisation=other, user=other_lead, role="CSIRT_LEAD")
    invitation, token = _invite(incident, csirt_lead)
    client.force_login(other_lead)
    assert client.get(f"/incidents/{incident.ref}/guests/").status_code == 404
    assert (
        client.post(f"/incidents/{incident.ref}/guests/{invitation.pk}/revoke/").status_code == 404
    )
    with pytest.raises(PermissionDeniedError):
        guests.guest_revoke(invitation=invitation, actor=other_lead)
    with pytest.raises(PermissionDeniedError):
        _invite(incident, other_lead, email="x@y.example")
    guest = _signed_in(token)
    user = GuestInvitation.objects.get().guest
    assert user.organisation_id == incident.organisation_id
    assert guest.get("/guest/").status_code == 200


def test_only_the_csirt_lead_or_the_isms_office_invites(incident, handler, isms_office, client):
    client.force_login(handler)
    assert client.get(f"/incidents/{incident.ref}/guests/").status_code == 404
    with pytest.raises(PermissionDeniedError):
        _invite(incident, handler)
    invitation, _token = _invite(incident, isms_office)
    assert invitation.invited_by == isms_office


def test_an_invitation_is_refused_for_a_staff_address_a_past_expiry_or_a_bad_ceiling(
    incident, csirt_lead, handler
):
    handler.email = "handler@test.example"
    handler.save(update_fields=["email"])
    with pytest.raises(Conflict) as taken:
        _invite(incident, csirt_lead, email="Handler@test.example")
    assert taken.value.code == "EMAIL_TAKEN"
    with pytest.raises(InvalidInput) as past:
        _invite(incident, csirt_lead, days=0)
    assert past.value.code == "EXPIRY_IN_PAST"
    with pytest.raises(InvalidInput) as far:
        _invite(incident, csirt_lead, days=91)
    assert far.value.code == "EXPIRY_TOO_FAR"
    with pytest.raises(InvalidInput):
        _invite(incident, csirt_lead, ceiling="PURPLE")
    assert not GuestInvitation.objects.exists()


def test_the_api_invites_lists_and_revokes_for_the_lead_and_answers_404_to_others(
    incident, csirt_lead, handler, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    lead = APIClient()
    lead.force_login(csirt_lead)
    url = f"/api/v1/incidents/{incident.ref}/guest-invitations/"
    expiry = (clock.now() + timedelta(days=7)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        made = lead.post(
            url,
            {"email": "sato@xyz.example", "role": "CONTRIBUTE", "expires_at": expiry},
            format="json",
        )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["state"], body["role"], body["tlp_ceiling"]) == ("pending", "CONTRIBUTE", "AMBER")
    assert "token" not in body and "token_hash" not in body and len(mail.outbox) == 1
    assert [row["email"] for row in lead.get(url).json()["results"]] == ["sato@xyz.example"]
    other = APIClient()
    other.force_login(handler)
    assert other.get(url).status_code == 404
    assert (
        other.post(url, {"email": "x@y.example", "expires_at": expiry}, format="json").status_code
        == 404
    )
    revoked = lead.post(f"{url}{body['id']}/revoke/")
    assert (revoked.status_code, revoked.json()["state"]) == (200, "revoked")
    again = lead.post(f"{url}{body['id']}/revoke/")
    assert (again.status_code, again.json()["code"]) == (409, "ALREADY_REVOKED")
    past = lead.post(
        url, {"email": "b@xyz.example", "expires_at": clock.now().isoformat()}, format="json"
    )
    assert (past.status_code, past.json()["code"]) == (400, "EXPIRY_IN_PAST")


def test_a_contributing_guest_comments_on_the_timeline_and_a_reading_guest_cannot(
    incident, csirt_lead
):
    _invitation, token = _invite(incident, csirt_lead, role="CONTRIBUTE")
    guest = _signed_in(token)
    said = guest.post("/guest/comment/", {"text": "C2への通信を確認しました。"})
    assert said.status_code == 302
    (entry,) = TimelineEntry.objects.filter(incident=incident, kind="guest.commented")
    assert entry.payload["text"] == "C2への通信を確認しました。"
    _reader, token = _invite(incident, csirt_lead, role="READ", email="ito@vendor.example")
    reader = _signed_in(token)
    refused = reader.post("/guest/comment/", {"text": "読むだけ"})
    assert refused.status_code == 403 and 'data-code="GUEST_READ_ONLY"' in refused.text
    assert TimelineEntry.objects.filter(incident=incident, kind="guest.commented").count() == 1
    empty = guest.post("/guest/comment/", {"text": ""})
    assert empty.status_code == 302
    assert TimelineEntry.objects.filter(incident=incident, kind="guest.commented").count() == 1
