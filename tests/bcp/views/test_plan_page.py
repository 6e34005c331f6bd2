"""The BCP plan page: services that would stop, owners, workaround, restore, call tree."""

import pytest

from bcp.models import BcpPlanService, CallTreeEntry


@pytest.fixture
def service(organisation, handler):
    return BcpPlanService.objects.create(
        organisation=organisation,
        name="受発注システム",
        owner=handler,
        workaround="電話とFAXで受注",
        restore_procedure="VPN再接続後に差分入力",
    )


def test_everyone_with_a_role_reads_the_plan(as_user, decision_maker, service, organisation):
    CallTreeEntry.objects.create(
        organisation=organisation, caller_role="ISMS_OFFICE", callee="社長", phone="090-1"
    )
    page = as_user(decision_maker).get("/bcp/plan/")
    assert page.status_code == 200
    for shown in ("受発注システム", "電話とFAXで受注", "VPN再接続後に差分入力", "社長", "090-1"):
        assert shown in page.text
    assert "/bcp/plan/services/" not in page.text


def test_the_office_adds_edits_and_removes_services_and_calls(
    as_user, isms_office, handler, service
):
    client = as_user(isms_office)
    added = client.post(
        "/bcp/plan/services/",
        {"name": "メール", "owner": handler.pk, "stops_when": "CUT_EXTERNAL_NETWORK", "order": 2},
    )
    assert added.status_code == 302
    edited = client.post(
        f"/bcp/plan/services/{service.pk}/",
        {"name": "受発注", "stops_when": "STOP_SERVICE", "workaround": "紙", "order": 1},
    )
    assert edited.status_code == 302
    service.refresh_from_db()
    assert (service.name, service.workaround, service.owner) == ("受発注", "紙", None)
    assert client.post(f"/bcp/plan/services/{service.pk}/remove/").status_code == 302
    assert list(BcpPlanService.objects.values_list("name", flat=True)) == ["メール"]
    call = client.post(
        "/bcp/plan/calls/", {"caller_role": "DECISION_MAKER", "callee": "取締役", "order": 1}
    )
    assert call.status_code == 302
    entry = CallTreeEntry.objects.get()
    assert client.post(f"/bcp/plan/calls/{entry.pk}/remove/").status_code == 302


def test_a_blank_service_name_is_400(as_user, isms_office):
    response = as_user(isms_office).post(
        "/bcp/plan/services/", {"name": "", "stops_when": "STOP_SERVICE", "order": 0}
    )
    assert response.status_code == 400


def test_others_cannot_edit_the_plan(as_user, decision_maker, reporter, service):
    client = as_user(decision_maker)
    response = client.post(f"/bcp/plan/services/{service.pk}/remove/")
    assert response.status_code == 403
    assert BcpPlanService.objects.filter(pk=service.pk).exists()
    assert as_user(reporter).get("/bcp/plan/").status_code == 403
