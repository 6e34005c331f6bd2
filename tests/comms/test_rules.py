"""Rules N-1 … N-4 on communications: the TLP each audience may receive, the announcement a
public message is sent under, and the checklist tasks a sent message completes."""

import itertools

import pytest

from common.errors import Conflict, InvalidInput
from comms import rules
from comms.enums import Audience, Status
from comms.models import Communication, CommunicationVersion
from comms.services import communications as comms
from incidents.models import Task, TimelineEntry
from incidents.models.enums import Tlp
from incidents.services import task_records
from tests.comms.conftest import announcement

# N-4, as the domain model states it: audience → the labels allowed (others: any).
N4 = {
    "MEDIA": {"CLEAR"},
    "PUBLIC": {"CLEAR"},
    "ISAC": {"GREEN", "AMBER", "AMBER_STRICT", "RED"},
    "JPCERT_CC": {"AMBER", "AMBER_STRICT", "RED"},
    "IPA": {"AMBER", "AMBER_STRICT", "RED"},
}


def _draft(incident, actor, audience="ALL_STAFF", **more):
    values = {"subject": "注意喚起", "body": "開かないでください", **more}
    return comms.communication_draft(incident=incident, actor=actor, audience=audience, **values)


def _send(communication, sender, approver, reference="全社メール"):
    comms.communication_move(communication=communication, actor=approver, status="APPROVED")
    return comms.communication_move(
        communication=communication, actor=sender, status="SENT", reference=reference
    )


@pytest.mark.parametrize(("audience", "tlp"), list(itertools.product(Audience.values, Tlp.values)))
def test_n4_each_audience_and_tlp_is_refused_or_accepted_as_the_rule_says(
    incident, isms_office, audience, tlp
):
    allowed = tlp in N4.get(audience, set(Tlp.values))
    if allowed:
        made = _draft(incident, isms_office, audience=audience, tlp=tlp)
        assert (made.audience, made.tlp) == (audience, tlp)
        return
    with pytest.raises(InvalidInput) as err:
        _draft(incident, isms_office, audience=audience, tlp=tlp)
    assert err.value.code == "TLP_NOT_ALLOWED_FOR_AUDIENCE"
    assert err.value.details["rule"] == "N-4"
    assert "N-4" in str(err.value.message)
    assert not Communication.objects.exists()


def test_n4_an_edit_to_a_label_the_audience_may_not_receive_is_refused(incident, isms_office):
    notice = _draft(incident, isms_office, audience="PUBLIC")
    with pytest.raises(InvalidInput) as err:
        comms.communication_update(
            communication=notice, actor=isms_office, changes={"tlp": "AMBER"}
        )
    assert err.value.code == "TLP_NOT_ALLOWED_FOR_AUDIENCE"
    notice.refresh_from_db()
    assert (notice.tlp, notice.version) == ("CLEAR", 1)


def test_n4_an_internal_message_is_amber_strict_by_default(incident, isms_office):
    assert _draft(incident, isms_office, audience="ALL_STAFF").tlp == "AMBER_STRICT"
    assert _draft(incident, isms_office, audience="DEPARTMENT").tlp == "AMBER_STRICT"
    assert _draft(incident, isms_office, audience="MEDIA").tlp == "CLEAR"


def test_an_amber_indicator_never_goes_into_a_clear_message():
    assert not rules.shareable("AMBER", "CLEAR")
    assert rules.shareable("CLEAR", "AMBER_STRICT") and rules.shareable("AMBER", "AMBER")


def test_a_press_release_is_not_sent_without_an_approved_announcement(
    incident, isms_office, csirt_lead, decision_maker
):
    notice = _draft(incident, isms_office, audience="PUBLIC", subject="お知らせ")
    comms.communication_move(communication=notice, actor=csirt_lead, status="APPROVED")
    with pytest.raises(Conflict) as err:
        comms.communication_move(communication=notice, actor=isms_office, status="SENT")
    assert err.value.code == "ANNOUNCEMENT_NOT_APPROVED"
    announcement(incident, decision_maker, outcome="DECLINED")
    with pytest.raises(Conflict):
        comms.communication_move(communication=notice, actor=isms_office, status="SENT")
    notice.refresh_from_db()
    assert (notice.status, notice.sent_at) == ("APPROVED", None)


def test_a_press_release_is_sent_under_the_approved_announcement_and_linked_to_it(
    incident, isms_office, csirt_lead, decision_maker
):
    approved = announcement(incident, decision_maker)
    notice = _send(_draft(incident, isms_office, audience="MEDIA"), isms_office, csirt_lead)
    assert (notice.status, notice.announcement_id) == ("SENT", approved.pk)
    assert notice.sent_by == isms_office and notice.reference == "全社メール"


@pytest.mark.parametrize("audience", ["CUSTOMERS", "MEDIA", "PUBLIC"])
def test_every_public_audience_needs_the_announcement(incident, isms_office, csirt_lead, audience):
    notice = _draft(incident, isms_office, audience=audience)
    comms.communication_move(communication=notice, actor=csirt_lead, status="APPROVED")
    with pytest.raises(Conflict):
        comms.communication_move(communication=notice, actor=isms_office, status="SENT")


def test_a_partner_notice_needs_no_announcement(incident, isms_office, csirt_lead):
    assert _send(_draft(incident, isms_office, audience="PARTNERS"), isms_office, csirt_lead)


def test_n1_a_sent_all_staff_warning_completes_the_staff_alert_task(
    incident, isms_office, csirt_lead
):
    task = Task.objects.get(incident=incident, code="L1-02")
    warning = _draft(incident, isms_office)
    comms.communication_move(communication=warning, actor=csirt_lead, status="APPROVED")
    task.refresh_from_db()
    assert task.status == "OPEN"  # approved is not sent
    comms.communication_move(communication=warning, actor=isms_office, status="SENT")
    task.refresh_from_db()
    assert task.status == "DONE" and task.done_from_record
    assert task.record_proof["records"][0].startswith("注意喚起 ")


def test_n1_a_drafted_or_approved_warning_does_not_complete_the_staff_alert(
    incident, isms_office, csirt_lead
):
    warning = _draft(incident, isms_office)
    comms.communication_move(communication=warning, actor=csirt_lead, status="APPROVED")
    task_records.tasks_reconcile(incident=incident, actor=None, kinds=("communication",))
    assert Task.objects.get(incident=incident, code="L1-02").status == "OPEN"


def test_n1_a_warning_to_a_department_does_not_complete_the_staff_alert(
    incident, isms_office, csirt_lead
):
    _send(_draft(incident, isms_office, audience="DEPARTMENT"), isms_office, csirt_lead)
    assert Task.objects.get(incident=incident, code="L1-02").status == "OPEN"


def test_only_an_approver_approves(incident, pr, csirt_lead):
    draft = _draft(incident, pr)
    with pytest.raises(Exception) as err:
        comms.communication_move(communication=draft, actor=pr, status="APPROVED")
    assert getattr(err.value, "status_code", None) == 403


def test_the_transition_table_refuses_a_draft_sent_unapproved(incident, isms_office):
    draft = _draft(incident, isms_office)
    with pytest.raises(Conflict) as err:
        comms.communication_move(communication=draft, actor=isms_office, status="SENT")
    assert err.value.code == "COMMUNICATION_STATUS_NOT_ALLOWED"


def test_a_sent_message_is_kept_as_it_was(incident, isms_office, csirt_lead):
    sent = _send(_draft(incident, isms_office), isms_office, csirt_lead)
    with pytest.raises(Conflict) as err:
        comms.communication_update(communication=sent, actor=isms_office, changes={"body": "x"})
    assert err.value.code == "COMMUNICATION_NOT_EDITABLE"
    with pytest.raises(Conflict):
        comms.communication_move(communication=sent, actor=isms_office, status="CANCELLED")


def test_editing_an_approved_message_keeps_the_version_and_asks_approval_again(
    incident, isms_office, csirt_lead
):
    draft = _draft(incident, isms_office)
    comms.communication_move(communication=draft, actor=csirt_lead, status="APPROVED")
    edited = comms.communication_update(
        communication=draft, actor=isms_office, changes={"body": "添付を開かないでください"}
    )
    assert (edited.status, edited.version, edited.approved_by) == (Status.DRAFT, 2, None)
    bodies = list(
        CommunicationVersion.objects.filter(communication=draft)
        .order_by("number")
        .values_list("body", flat=True)
    )
    assert bodies == ["開かないでください", "添付を開かないでください"]


def test_a_cancellation_needs_a_reason(incident, isms_office):
    draft = _draft(incident, isms_office)
    with pytest.raises(InvalidInput) as err:
        comms.communication_move(communication=draft, actor=isms_office, status="CANCELLED")
    assert err.value.code == "REASON_REQUIRED"
    comms.communication_move(
        communication=draft, actor=isms_office, status="CANCELLED", reason="重複"
    )


def test_every_change_is_on_the_timeline(incident, isms_office, csirt_lead):
    _send(_draft(incident, isms_office), isms_office, csirt_lead)
    kinds = list(
        TimelineEntry.objects.filter(incident=incident, kind__startswith="communication.")
        .order_by("id")
        .values_list("kind", "payload__to")
    )
    assert kinds == [
        ("communication.drafted", None),
        ("communication.status_changed", "APPROVED"),
        ("communication.status_changed", "SENT"),
    ]


def test_a_message_with_gaps_to_write_is_not_approved(incident, isms_office, csirt_lead):
    draft = _draft(incident, isms_office, body="窓口：【要記入：電話番号】")
    with pytest.raises(Conflict) as err:
        comms.communication_move(communication=draft, actor=csirt_lead, status="APPROVED")
    assert (err.value.code, err.value.details["gaps"]) == (
        "GAPS_TO_WRITE",
        ["【要記入：電話番号】"],
    )
    comms.communication_update(
        communication=draft, actor=isms_office, changes={"body": "窓口：03-0000-0000"}
    )
    assert (
        comms.communication_move(
            communication=draft, actor=csirt_lead, status="APPROVED"
        ).approved_by
        == csirt_lead
    )
