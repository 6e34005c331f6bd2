"""API clients for the cast (and the deputy), and a world of decisions and BCP actions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Absence, Delegation, RoleAssignment
from bcp.models import BcpPlanService
from bcp.services import activation, decisions
from tests.incidents.api.conftest import (  # noqa: F401
    API,
    client_for,
    read_key,
    write_key,
)

# reporter, handler, isms_office, csirt_lead, decision_maker, deputy, outsider, anonymous,
# key_read, key_write
ROLES = (
    "reporter",
    "handler",
    "isms_office",
    "csirt_lead",
    "decision_maker",
    "deputy",
    "outsider",
    "anonymous",
    "key_read",
    "key_write",
)


def later(hours: float) -> str:
    return (timezone.now() + timedelta(hours=hours)).isoformat()


@pytest.fixture
def world(
    incident, organisation, reporter, handler, isms_office, csirt_lead, decision_maker, deputy
):
    """An open BCP decision; a cut-off approved by the deputy (to ratify) with two actions, one
    done; an absence and a delegation to aim at."""
    BcpPlanService.objects.create(organisation=organisation, name="受発注システム")
    pending = decisions.decision_open(incident=incident, decision_type="ACTIVATE_CYBER_BCP")
    cut = decisions.decision_open(incident=incident, decision_type="CUT_ALL_EXTERNAL_NETWORK")
    decisions.decision_decide(
        decision=cut, actor=deputy, outcome="APPROVED", rationale="C2通信を確認"
    )
    first, second = incident.bcp_activation.actions.order_by("id")
    activation.bcp_action_record(action=second, actor=handler, step="execute")
    now = timezone.now()
    absence = Absence.objects.create(
        user=deputy, starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=2)
    )
    delegation = Delegation.objects.create(
        organisation=organisation,
        role="DECISION_MAKER",
        delegator=decision_maker,
        delegate=csirt_lead,
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=4),
    )
    return {
        "ref": incident.ref,
        "open": pending.pk,
        "cut": cut.pk,
        "todo": first.pk,
        "done": second.pk,
        "assignment": RoleAssignment.objects.get(user=decision_maker).pk,
        "absence": absence.pk,
        "delegation": delegation.pk,
        "reporter_id": reporter.pk,
        "deputy_id": deputy.pk,
        "lead_id": csirt_lead.pk,
        "president_id": decision_maker.pk,
    }
