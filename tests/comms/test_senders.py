"""Who marks a communication sent or cancels it: the ISMS office and the CSIRT lead for every
audience, PR for the public audiences, legal and privacy for the PPC and the data subjects;
decision makers approve, they do not send (docs/architecture.md, comms)."""

import pytest

from accounts.roles import Role
from comms.services import communications as comms
from comms.services import mailing
from incidents.access import PermissionDeniedError
from incidents.models import TimelineEntry
from tests.comms.conftest import announcement
from tests.conftest import _holder


@pytest.fixture
def legal(organisation):
    return _holder(organisation, Role.LEGAL_PRIVACY, "legal")


def _approved(incident, isms_office, csirt_lead, audience):
    draft = comms.communication_draft(
        incident=incident, actor=isms_office, audience=audience, subject="件名", body="本文"
    )
    return comms.communication_move(communication=draft, actor=csirt_lead, status="APPROVED")


def _move(communication, actor, status):
    return comms.communication_move(
        communication=communication, actor=actor, status=status, reason="重複", reference="送付"
    )


@pytest.mark.parametrize(
    ("who", "audience", "allowed"),
    [
        ("isms_office", "ALL_STAFF", True),
        ("csirt_lead", "POLICE", True),
        ("isms_office", "MEDIA", True),
        ("decision_maker", "ALL_STAFF", False),
        ("decision_maker", "MEDIA", False),
        ("decision_maker", "PPC", False),
        ("pr", "MEDIA", True),
        ("pr", "CUSTOMERS", True),
        ("pr", "ALL_STAFF", False),
        ("pr", "JPCERT_CC", False),
        ("legal", "PPC", True),
        ("legal", "INDIVIDUALS", True),
        ("legal", "MEDIA", False),
        ("handler", "ALL_STAFF", False),
    ],
)
@pytest.mark.parametrize("status", ["SENT", "CANCELLED"])
def test_only_the_roles_that_speak_for_the_audience_send_or_cancel(
    request, incident, isms_office, csirt_lead, decision_maker, who, audience, allowed, status
):
    announcement(incident, decision_maker)
    actor = request.getfixturevalue(who)
    message = _approved(incident, isms_office, csirt_lead, audience)
    before = TimelineEntry.objects.filter(incident=incident).count()
    if allowed:
        assert _move(message, actor, status).status == status
        return
    with pytest.raises(PermissionDeniedError):
        _move(message, actor, status)
    message.refresh_from_db()
    assert (message.status, message.sent_at) == ("APPROVED", None)
    assert TimelineEntry.objects.filter(incident=incident).count() == before


def test_a_decision_maker_still_approves_and_sends_back_to_draft(
    incident, isms_office, csirt_lead, decision_maker
):
    message = _approved(incident, isms_office, csirt_lead, "ALL_STAFF")
    back = comms.communication_move(communication=message, actor=decision_maker, status="DRAFT")
    approved = comms.communication_move(communication=back, actor=decision_maker, status="APPROVED")
    assert approved.status == "APPROVED"


def test_pr_cannot_mail_the_staff_warning_and_the_office_can(
    incident, isms_office, csirt_lead, pr, settings
):
    mailing.staff_list_set(
        organisation=incident.organisation, actor=isms_office, addresses="all@example.jp"
    )
    message = comms.communication_draft(
        incident=incident,
        actor=isms_office,
        audience="ALL_STAFF",
        channel="EMAIL",
        subject="注意喚起",
        body="開かないでください",
    )
    comms.communication_move(communication=message, actor=csirt_lead, status="APPROVED")
    with pytest.raises(PermissionDeniedError):
        mailing.communication_mail(communication=message, actor=pr)
    assert mailing.communication_mail(communication=message, actor=isms_office).status == "SENT"


def test_the_decision_maker_s_page_offers_no_send_or_cancel(
    client, incident, isms_office, csirt_lead, decision_maker
):
    message = _approved(incident, isms_office, csirt_lead, "ALL_STAFF")
    client.force_login(decision_maker)
    page = client.get(f"/incidents/{incident.ref}/communications/{message.pk}/").text
    assert 'value="SENT"' not in page and 'value="CANCELLED"' not in page
    assert 'value="DRAFT"' in page
    client.force_login(isms_office)
    page = client.get(f"/incidents/{incident.ref}/communications/{message.pk}/").text
    assert 'value="SENT"' in page and 'value="CANCELLED"' in page
    client.force_login(decision_maker)
    url = f"/incidents/{incident.ref}/communications/{message.pk}/status/"
    client.post(url, {"status": "SENT", "reference": "x"})
    message.refresh_from_db()
    assert message.status == "APPROVED"
