"""A finding's decisions: its status (VEX-style, with a justification for "not affected"),
its due date when the facts change, and the incident it may open."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from common import clock
from common.errors import Conflict
from incidents.models import AffectedAsset, Incident
from incidents.models.enums import Category, Priority
from incidents.services.records import incident_declare
from vulns import access, lifecycle, policy
from vulns.enums import OPEN_STATUSES, FindingStatus
from vulns.models import Exposure, Finding, FindingEvent
from vulns.services import alerts


def lock(finding: Finding) -> Finding:
    return (
        Finding.objects.select_for_update().select_related("advisory", "asset").get(pk=finding.pk)
    )


@transaction.atomic
def finding_set_status(
    *, finding: Finding, actor: User, status: str, justification: str = "", note: str = ""
) -> Finding:
    """Move a finding to ``status`` (the transition table); "not affected" needs a reason."""
    access.require_write(actor)
    locked = lock(finding)
    if status == FindingStatus.RISK_ACCEPTED:
        # Only an approved decision accepts a risk (vulns.services.risk).
        raise Conflict(
            "decision_required",
            _("Accepting a risk is the decision maker's: ask for the decision instead."),
        )
    lifecycle.require(locked.status, status)
    lifecycle.require_justified(status, justification)
    FindingEvent.objects.create(
        finding=locked,
        at=clock.now(),
        actor=actor,
        kind="finding.status",
        from_status=locked.status,
        to_status=status,
        note=note,
    )
    locked.status = status
    locked.justification = justification if status == FindingStatus.NOT_AFFECTED else ""
    locked.note = note or locked.note
    locked.save(update_fields=["status", "justification", "note", "updated_at"])
    return locked


def findings_refresh(findings: Iterable[Finding]) -> int:
    """Recompute the due date of open findings (KEV listing or exposure changed) and alert the
    CSIRT lead of those that became known exploited on an internet-facing asset."""
    now = clock.now()
    changed = 0
    urgent = []
    for finding in findings:
        if finding.status not in OPEN_STATUSES:
            continue
        facing = Exposure.objects.filter(asset_id=finding.asset_id, internet_facing=True).exists()
        due = policy.due_at(
            policy.policy_of(finding.organisation_id),
            found_at=finding.found_at,
            severity=finding.advisory.severity,
            kev_listed=finding.advisory.kev_listed,
            internet_facing=facing,
        )
        if due != finding.due_at:
            FindingEvent.objects.create(
                finding=finding, at=now, kind="finding.due_changed", note=due.isoformat()
            )
            finding.due_at = due
            finding.save(update_fields=["due_at", "updated_at"])
            changed += 1
        if finding.advisory.kev_listed and facing:
            urgent.append(finding)
    alerts.alert_exploitable(urgent, at=now)
    return changed


@transaction.atomic
def finding_open_incident(*, finding: Finding, actor: User) -> Incident:
    """Open an incident (category "vulnerability") for a finding, linked both ways."""
    access.require_write(actor)
    locked = lock(finding)
    if locked.incident_id is not None:
        raise Conflict("incident_exists", _("This finding already has an incident."))
    return open_incident(locked, actor)


def open_incident(locked: Finding, actor: User) -> Incident:
    """The incident of a locked finding with none yet (the caller checked)."""
    incident = incident_declare(
        organisation=locked.asset.organisation,
        actor=actor,
        title=_("%(vuln)s on %(asset)s") % {"vuln": locked.advisory.vuln_id, "asset": locked.asset},
        category=Category.VULNERABILITY,
        priority=Priority.P2 if locked.advisory.kev_listed else Priority.P3,
        description=locked.advisory.title,
    )
    AffectedAsset.objects.create(incident=incident, asset=locked.asset)
    locked.incident = incident
    locked.save(update_fields=["incident", "updated_at"])
    FindingEvent.objects.create(
        finding=locked, at=clock.now(), actor=actor, kind="finding.incident", note=incident.ref
    )
    return locked.incident
