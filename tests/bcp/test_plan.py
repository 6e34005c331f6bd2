"""The BCP plan services: kept by the ISMS office, owners from the organisation."""

import pytest

from bcp.models import BcpPlanService, CallTreeEntry
from bcp.services import plan
from common.errors import Forbidden, InvalidInput


def test_the_office_adds_changes_and_removes_a_service(organisation, isms_office, handler):
    service = plan.plan_service_add(
        organisation=organisation,
        actor=isms_office,
        name=" 受発注システム ",
        owner=handler,
        stops_when="CUT_EXTERNAL_NETWORK",
        workaround="電話とFAXで受注",
        restore_procedure="VPN再接続後に差分を入力",
        order=1,
    )
    assert service.name == "受発注システム"
    changed = plan.plan_service_update(
        service=service, actor=isms_office, changes={"workaround": "紙の伝票", "organisation": 9}
    )
    assert changed.workaround == "紙の伝票"
    plan.plan_service_remove(service=service, actor=isms_office)
    assert not BcpPlanService.objects.exists()


def test_an_owner_of_another_organisation_and_a_blank_name_are_refused(
    organisation, isms_office, outsider
):
    with pytest.raises(InvalidInput):
        plan.plan_service_add(
            organisation=organisation, actor=isms_office, name="x", owner=outsider
        )
    with pytest.raises(InvalidInput):
        plan.plan_service_add(organisation=organisation, actor=isms_office, name="  ")


def test_the_call_tree_is_kept_by_the_office_only(organisation, isms_office, decision_maker):
    entry = plan.call_tree_entry_add(
        organisation=organisation,
        actor=isms_office,
        caller_role="ISMS_OFFICE",
        callee="社長",
        phone="090-0000-0000",
    )
    plan.call_tree_entry_update(entry=entry, actor=isms_office, changes={"order": 2})
    assert CallTreeEntry.objects.get().order == 2
    with pytest.raises(Forbidden):
        plan.call_tree_entry_remove(entry=entry, actor=decision_maker)
    with pytest.raises(InvalidInput):
        plan.call_tree_entry_add(
            organisation=organisation, actor=isms_office, caller_role="KING", callee="x"
        )
