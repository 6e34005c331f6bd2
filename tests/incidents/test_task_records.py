"""Tasks completed by the record (incidents.completion): the C2 blocked at the proxy is L2-05
done, the mail deleted from every mailbox is L1-06, every infected PC isolated is L1-01. A
later record that breaks the condition warns on the task and never reopens it."""

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from incidents import completion
from incidents.models import Asset, Indicator, MailDelivery, Task
from incidents.services import assets, findings, indicators, mail, task_records, tasks


def _task(incident, code):
    return Task.objects.get(incident=incident, code=code)


def _level_2(incident, handler):
    """A second infected PC: level 2 is recommended (not approved) and its checklist issued."""
    pc = Asset.objects.create(organisation_id=incident.organisation_id, asset_tag="PC-2")
    return findings.asset_infection_set(
        incident=incident, actor=handler, asset=pc, state="SUSPECTED"
    )


@pytest.fixture
def api(handler):
    client = APIClient()
    client.force_authenticate(handler)
    return client


def test_blocking_the_c2_domain_at_the_proxy_marks_the_block_task_done_from_the_record(
    incident, handler, api
):
    _level_2(incident, handler)
    incident.refresh_from_db()
    assert (incident.level, incident.recommended_level) == (1, 2)
    block = _task(incident, "L2-05")
    assert block.status == "OPEN"
    c2 = indicators.c2_indicator_for(incident=incident, actor=handler, value="cdn-update.example")
    url = Indicator.objects.get(incident=incident, kind="URL")
    indicators.indicator_block(indicator=url, actor=handler, blocked_by="PROXY")
    assert _task(incident, "L2-05").status == "OPEN"  # the C2 domain is still open

    response = api.post(
        f"/api/v1/incidents/{incident.ref}/indicators/{c2.pk}/block/",
        {"blocked_by": "PROXY"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    block = _task(incident, "L2-05")
    assert (block.status, block.done_from_record, block.completed_by) == ("DONE", True, handler)
    assert block.record_proof == {
        "condition": "network_indicators_blocked",
        "records": ["https://evil.example/invoice @ PROXY", "cdn-update.example @ PROXY"],
    }
    entry = incident.timeline.get(kind="task.done_from_record", payload__code="L2-05")
    assert entry.actor == handler
    listed = api.get(f"/api/v1/incidents/{incident.ref}/tasks/").json()["results"]
    row = next(t for t in listed if t["code"] == "L2-05")
    assert (row["done_from_record"], row["record_warning"]) == (True, "")


def test_a_network_indicator_found_after_the_task_was_done_warns_on_it(incident, handler):
    _level_2(incident, handler)
    url = Indicator.objects.get(incident=incident, kind="URL")
    indicators.indicator_block(indicator=url, actor=handler, blocked_by="PROXY")
    assert _task(incident, "L2-05").status == "DONE"
    indicators.c2_indicator_for(incident=incident, actor=handler, value="cdn-update.example")
    block = _task(incident, "L2-05")
    assert (block.status, block.record_missing) == ("DONE", ["cdn-update.example"])
    with translation.override("ja"):
        assert block.record_warning == (
            "プロキシ・DNS・ファイアウォールで遮断されていません：cdn-update.example"
        )


def test_no_network_indicator_is_not_a_block(incident, handler):
    Indicator.objects.filter(incident=incident).delete()
    _level_2(incident, handler)
    assert _task(incident, "L2-05").status == "OPEN"


def test_a_block_at_the_mail_gateway_is_not_a_network_block(incident, handler):
    _level_2(incident, handler)
    for indicator in Indicator.objects.filter(incident=incident, kind__in=("URL", "C2_DOMAIN")):
        indicators.indicator_block(indicator=indicator, actor=handler, blocked_by="MAIL_GATEWAY")
    assert _task(incident, "L2-05").status == "OPEN"


def test_a_checklist_issued_after_the_record_is_done_at_once(incident, handler):
    url = Indicator.objects.get(incident=incident, kind="URL")
    indicators.indicator_block(indicator=url, actor=handler, blocked_by="FIREWALL")
    _level_2(incident, handler)
    assert _task(incident, "L2-05").done_from_record


def test_deleting_the_mail_from_every_mailbox_completes_the_delete_task(incident, handler):
    delete = _task(incident, "L1-06")
    assert delete.status == "OPEN"
    for delivery in MailDelivery.objects.filter(message__incident=incident):
        mail.delivery_update(
            delivery=delivery, actor=handler, changes={"deleted_at": delivery.reported_at}
        )
    delete.refresh_from_db()
    assert (delete.status, delete.record_proof["condition"]) == ("DONE", "deliveries_deleted")


def test_a_new_recipient_warns_on_the_done_delete_task_without_reopening_it(
    incident, handler, file_report
):
    for delivery in MailDelivery.objects.filter(message__incident=incident):
        mail.delivery_update(
            delivery=delivery, actor=handler, changes={"deleted_at": delivery.reported_at}
        )
    file_report(reporter_email="sato@example.com", what_happened="RECEIVED_ONLY")
    delete = _task(incident, "L1-06")
    assert delete.status == "DONE"
    assert delete.record_missing == ["sato@example.com"]
    assert "sato@example.com" in delete.record_warning
    assert incident.timeline.filter(kind="task.record_warning").exists()


def test_the_isolate_task_follows_the_infected_pcs_and_warns_instead_of_reopening(
    incident, handler
):
    isolate = _task(incident, "L1-01")  # PC-12's cable was pulled when it was reported
    assert (isolate.status, isolate.record_proof["records"]) == ("DONE", ["PC-12"])
    pc2 = _level_2(incident, handler)
    isolate.refresh_from_db()
    assert isolate.status == "DONE"
    assert isolate.record_missing == ["PC-2"]
    assets.affected_asset_update(
        affected=pc2, actor=handler, changes={"containment_state": "ISOLATED"}
    )
    isolate.refresh_from_db()
    assert (isolate.record_missing, isolate.record_warning) == ([], "")
    assert incident.timeline.filter(kind="task.record_warning_cleared").exists()


def test_a_person_can_still_finish_a_task_by_hand(incident, handler):
    _level_2(incident, handler)
    block = tasks.task_finish(
        task=_task(incident, "L2-05"), actor=handler, status="WAIVED", note="プロキシなし"
    )
    assert (block.status, block.done_from_record) == ("WAIVED", False)
    c2 = indicators.c2_indicator_for(incident=incident, actor=handler, value="c2.example")
    indicators.indicator_block(indicator=c2, actor=handler, blocked_by="DNS")
    block.refresh_from_db()
    assert (block.status, block.record_missing) == ("WAIVED", [])


def test_a_condition_registered_by_another_app_completes_its_tasks(incident, monkeypatch):
    """The extension point for N-1's ALL_STAFF communication (a future comms app)."""
    monkeypatch.setitem(
        completion._conditions,
        "all_staff_alerted",
        lambda incident: completion.Proof(holds=True, records=["全社メール 10:20"]),
    )
    assert _task(incident, "L1-02").status == "OPEN"
    task_records.tasks_reconcile(incident=incident, actor=None, kinds=("communication",))
    alert = _task(incident, "L1-02")
    assert (alert.status, alert.record_proof["records"]) == ("DONE", ["全社メール 10:20"])


def test_without_a_registered_condition_the_staff_alert_stays_a_manual_task(incident, monkeypatch):
    monkeypatch.delitem(completion._conditions, "all_staff_alerted")
    assert "all_staff_alerted" not in completion.codes_for(None).values()
    task_records.tasks_reconcile(incident=incident, actor=None)
    assert _task(incident, "L1-02").status == "OPEN"


def test_the_incident_page_says_done_from_the_record(incident, handler, client):
    client.force_login(handler)
    page = client.get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "完了：記録から" in page
    assert "PC-12" in page
