"""Tasks to asset owners (issue 23): each open finding with a due date on an asset that has an
owner gives that owner a task; the owner is alerted before the due date (``VULN_DUE_REMIND_HOURS``,
24 h by default) and at it, through the notifications outbox (``vulnerability.due``).

The sweep runs on Celery beat and is idempotent: a task is created once per finding (a unique
row), and each alert is claimed by a conditional UPDATE on the due date it is for
(``reminded_for`` / ``alerted_for``), so two sweeps at once, or a retry, alert exactly once per
step. A due date that moves (KEV listing, exposure) earns the new date its own alerts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common import clock, events
from common.errors import InvalidInput
from incidents.models import Asset
from vulns import access
from vulns.enums import OPEN_STATUSES
from vulns.models import AssetOwner, Finding, FindingTask

EVENT = "vulnerability.due"
BATCH = 500


@dataclass
class SweepResult:
    created: int = 0
    closed: int = 0
    before: int = 0
    due: int = 0


def remind_before() -> timedelta:
    return timedelta(hours=settings.VULN_DUE_REMIND_HOURS)


def _sync(now: datetime) -> tuple[int, int]:
    """Create the missing tasks, follow the findings' due dates and owners, close the tasks of
    findings no longer open (and reopen those open again)."""
    owners = dict(AssetOwner.objects.values_list("asset_id", "owner_id"))
    open_findings = Finding.objects.filter(status__in=OPEN_STATUSES, asset_id__in=owners)
    missing = open_findings.filter(task__isnull=True).values_list("pk", "asset_id", "due_at")
    created = FindingTask.objects.bulk_create(
        [
            FindingTask(finding_id=pk, owner_id=owners[asset], due_at=due)
            for pk, asset, due in missing[:BATCH]
        ],
        ignore_conflicts=True,
    )
    for task in FindingTask.objects.filter(finding__in=open_findings).select_related("finding"):
        owner = owners[task.finding.asset_id]
        if (task.due_at, task.owner_id, task.done_at) != (task.finding.due_at, owner, None):
            FindingTask.objects.filter(pk=task.pk).update(
                due_at=task.finding.due_at, owner_id=owner, done_at=None
            )
    closed = (
        FindingTask.objects.filter(done_at__isnull=True)
        .exclude(finding__status__in=OPEN_STATUSES)
        .update(done_at=now)
    )
    closed += (
        FindingTask.objects.filter(done_at__isnull=True)
        .exclude(finding__asset_id__in=owners)
        .update(done_at=now)
    )
    return len(created), closed


@transaction.atomic
def task_alert(task: FindingTask, which: str) -> int:
    """Claim one step of one task (its due date as read) and publish its alert; 0 if another
    sweep claimed it first."""
    claim = FindingTask.objects.filter(pk=task.pk, due_at=task.due_at, done_at__isnull=True)
    if which == "due":
        claimed = claim.exclude(alerted_for=task.due_at).update(
            alerted_for=task.due_at, reminded_for=task.due_at
        )
    else:
        claimed = claim.exclude(reminded_for=task.due_at).update(reminded_for=task.due_at)
    if not claimed:
        return 0
    finding = task.finding
    events.publish(
        EVENT,
        organisation_id=finding.organisation_id,
        incident=None,
        task=task,
        finding=finding,
        vuln_id=finding.advisory.vuln_id,
        asset=str(finding.asset),
        which=which,
        due_at=task.due_at,
    )
    return 1


def finding_tasks_sweep(*, now: datetime | None = None) -> SweepResult:
    now = now or clock.now()
    result = SweepResult()
    result.created, result.closed = _sync(now)
    pending = FindingTask.objects.filter(done_at__isnull=True).select_related(
        "finding__advisory", "finding__asset", "owner"
    )
    for task in pending.filter(due_at__lte=now).exclude(alerted_for=F("due_at"))[:BATCH]:
        result.due += task_alert(task, "due")
    soon = pending.filter(due_at__gt=now, due_at__lte=now + remind_before())
    for task in soon.exclude(reminded_for=F("due_at"))[:BATCH]:
        result.before += task_alert(task, "before")
    return result


@transaction.atomic
def owner_set(*, asset: Asset, actor: User, owner: User | None) -> AssetOwner | None:
    """Name who looks after an asset (None: nobody); the next sweep moves its tasks."""
    access.require_write(actor)
    if asset.organisation_id != actor.organisation_id:
        raise access.PermissionDeniedError("permission_denied", _("Not your asset."))
    if owner is None:
        AssetOwner.objects.filter(asset=asset).delete()
        return None
    if owner.organisation_id != asset.organisation_id or not owner.is_active:
        raise InvalidInput(
            "owner_not_in_organisation",
            _("Choose a person of the organisation as the asset's owner."),
            field="owner",
        )
    row, _created = AssetOwner.objects.update_or_create(asset=asset, defaults={"owner": owner})
    return row
