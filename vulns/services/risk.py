"""A finding's risk acceptance is a decision (issue 23): asking opens a bcp ``RISK_ACCEPTANCE``
decision for the decision maker (with the usual deputies and deadline) on the finding's incident
(opened, category "vulnerability", when the finding has none, because a decision is made and
recorded on an incident's timeline). The finding becomes "risk accepted" only when the decision
is approved (``risk_decided``, registered with bcp's outcomes at start-up); a refusal leaves it
as it was.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bcp.enums import Outcome
from bcp.models import Decision
from bcp.services import decisions
from common import clock
from common.errors import Conflict, InvalidInput
from vulns import access, lifecycle, selectors
from vulns.enums import FindingStatus
from vulns.models import Finding, FindingEvent
from vulns.services import findings

RISK_DECISION = "RISK_ACCEPTANCE"


@transaction.atomic
def risk_acceptance_request(*, finding: Finding, actor: User, reason: str) -> Decision:
    """Ask the decision maker to accept the finding's risk; the finding does not change yet."""
    access.require_write(actor)
    locked = findings.lock(finding)
    lifecycle.require(locked.status, FindingStatus.RISK_ACCEPTED)
    if not (reason or "").strip():
        raise InvalidInput(
            "reason_required",
            _("Say why the risk can be accepted: the decision maker reads it."),
            field="note",
        )
    if selectors.risk_pending(locked) is not None:
        raise Conflict(
            "risk_acceptance_pending",
            _("The decision maker has not yet decided the risk acceptance asked before."),
        )
    incident = locked.incident or findings.open_incident(locked, actor)
    decision = decisions.decision_open(
        incident=incident,
        decision_type=RISK_DECISION,
        actor=actor,
        reason=gettext("%(vuln)s on %(asset)s: %(reason)s")
        % {"vuln": locked.advisory.vuln_id, "asset": locked.asset, "reason": reason.strip()},
    )
    locked.risk_decision = decision
    locked.save(update_fields=["risk_decision", "updated_at"])
    FindingEvent.objects.create(
        finding=locked,
        at=clock.now(),
        actor=actor,
        kind="finding.risk_requested",
        note=reason.strip(),
    )
    return decision


def risk_decided(decision: Any, actor: User) -> None:
    """bcp's outcome hook: an approval accepts the finding's risk; a refusal leaves it."""
    finding = Finding.objects.select_for_update().filter(risk_decision_id=decision.pk).first()
    if finding is None:
        return
    accepted = decision.outcome == Outcome.APPROVED and lifecycle.allowed(
        finding.status, FindingStatus.RISK_ACCEPTED
    )
    FindingEvent.objects.create(
        finding=finding,
        at=clock.now(),
        actor=actor,
        kind="finding.risk_accepted" if accepted else "finding.risk_declined",
        from_status=finding.status,
        to_status=FindingStatus.RISK_ACCEPTED if accepted else finding.status,
        note=decision.rationale,
    )
    if accepted:
        finding.status, finding.justification = FindingStatus.RISK_ACCEPTED, ""
        finding.save(update_fields=["status", "justification", "updated_at"])
