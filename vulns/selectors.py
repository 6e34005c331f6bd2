"""Reads of vulnerability information, scoped to the reader's organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Value
from django.http import Http404

from accounts.models import User
from bcp.enums import DecisionStatus
from bcp.models import Decision
from incidents.models import Asset
from vulns import access
from vulns.enums import OPEN_STATUSES, Severity
from vulns.models import Advisory, FeedSource, Finding, FindingTask, Software

BY_ASSET, BY_VULNERABILITY = "asset", "vulnerability"


def findings_of(user: User, *, open_only: bool = True) -> QuerySet[Finding]:
    access.require_read(user)
    rows = Finding.objects.filter(organisation_id=user.organisation_id).select_related(
        "advisory", "asset", "software", "asset__exposure"
    )
    if open_only:
        rows = rows.filter(status__in=OPEN_STATUSES)
    return rows


def finding_list(user: User, *, order: str = BY_ASSET, open_only: bool = True) -> list[Finding]:
    rows = findings_of(user, open_only=open_only)
    if order == BY_VULNERABILITY:
        return list(rows.order_by("advisory__vuln_id", "asset__asset_tag"))
    return list(rows.order_by("asset__asset_tag", "due_at", "advisory__vuln_id"))


def owns_task(user: User, pk: int) -> bool:
    """Whether the finding is one of the user's tasks as an asset owner (they read it)."""
    return FindingTask.objects.filter(
        finding_id=pk, owner_id=getattr(user, "pk", None), done_at__isnull=True
    ).exists()


def tasks_of(user: User) -> list[FindingTask]:
    """The user's open tasks as an asset owner, soonest due first."""
    return list(
        FindingTask.objects.filter(owner_id=user.pk, done_at__isnull=True)
        .select_related("finding__advisory", "finding__asset")
        .order_by("due_at")
    )


def finding_get(user: User, pk: int) -> Finding:
    if not access.can_read(user) and owns_task(user, pk):
        return Finding.objects.select_related("advisory", "asset", "software").get(pk=pk)
    found = findings_of(user, open_only=False).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def risk_pending(finding: Finding) -> Decision | None:
    """The open risk-acceptance decision of a finding, if one waits (vulns.services.risk)."""
    if finding.risk_decision_id is None:
        return None
    return Decision.objects.filter(pk=finding.risk_decision_id, status=DecisionStatus.OPEN).first()


def advisory_get(user: User, vuln_id: str) -> Advisory:
    access.require_read(user)
    found = Advisory.objects.filter(vuln_id=vuln_id).first()
    if found is None:
        raise Http404
    return found


def findings_of_advisory(user: User, advisory: Advisory) -> list[Finding]:
    return list(
        findings_of(user, open_only=False).filter(advisory=advisory).order_by("asset__asset_tag")
    )


def vex_findings(
    user: User, *, advisory: Advisory | None = None, pk: int | None = None
) -> list[Finding]:
    """The findings a VEX document states (one advisory's, or one finding); ISMS office only."""
    access.require_export_vex(user)
    rows = findings_of(user, open_only=False)
    if advisory is not None:
        rows = rows.filter(advisory=advisory)
    if pk is not None:
        rows = rows.filter(pk=pk)
    found = list(rows.order_by("advisory__vuln_id", "asset__asset_tag"))
    if not found:
        raise Http404
    return found


def uncovered_assets(user: User) -> list[Asset]:
    """The coverage of the inventory: the organisation's assets with no software recorded."""
    access.require_read(user)
    return list(
        Asset.objects.filter(organisation_id=user.organisation_id)
        .annotate(n=Count("software"))
        .filter(n=0)
        .order_by("asset_tag")
    )


def coverage(user: User) -> tuple[int, int]:
    """(assets with software, all assets) of the organisation."""
    access.require_read(user)
    assets = Asset.objects.filter(organisation_id=user.organisation_id)
    covered = Software.objects.filter(organisation_id=user.organisation_id)
    return covered.values("asset_id").distinct().count(), assets.count()


@dataclass(frozen=True)
class Tile:
    critical_or_kev: int
    past_due: int


def tile_counts(user: User, now: datetime) -> QuerySet[Any]:
    """The tile's two counts as one row of a ``values()`` query set (the dashboard reads it
    with its other tiles in one query)."""
    rows = Finding.objects.filter(organisation_id=user.organisation_id, status__in=OPEN_STATUSES)
    return (
        rows.order_by()
        .values(_=Value(1))
        .annotate(
            critical_or_kev=Count(
                "pk", filter=Q(advisory__severity=Severity.CRITICAL) | Q(advisory__kev_listed=True)
            ),
            past_due=Count("pk", filter=Q(due_at__lt=now)),
        )
        .values("critical_or_kev", "past_due")
    )


def tile(user: User, now: datetime, counts: list[dict[str, Any]] | None = None) -> Tile | None:
    """The dashboard tile: open critical or KEV-listed findings, open findings past due."""
    if not access.can_read(user):
        return None
    rows = list(tile_counts(user, now)) if counts is None else counts
    return Tile(**rows[0]) if rows else Tile(0, 0)


def feeds_of(user: User) -> list[FeedSource]:
    """The organisation's polled advisory feeds, with their last success and last error."""
    access.require_read(user)
    return list(FeedSource.objects.filter(organisation_id=user.organisation_id))


def feed_get(user: User, pk: str) -> FeedSource:
    access.require_read(user)
    found = (
        FeedSource.objects.filter(organisation_id=user.organisation_id, pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if found is None:
        raise Http404
    return found
