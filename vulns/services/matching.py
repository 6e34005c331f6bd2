"""Matching: advisories' affected ranges × the inventory → findings (issue 23, step 3).

``match`` looks software up by product key (a dictionary of the ranges per key), tests the
version with ``vulns.versions.contains`` (univers, cached per range and version) and then
reconciles the findings of the scope: a new (vulnerability, asset) pair becomes a NEW finding
with its due date; an open finding whose software no longer matches is closed as FIXED. Run on
every import (scope: the imported advisories) and every inventory change (scope: the asset).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from common import clock
from vulns import policy, versions
from vulns.enums import OPEN_STATUSES, FindingStatus
from vulns.models import Advisory, AffectedRange, Exposure, Finding, FindingEvent, Software
from vulns.services import alerts

# An import of more advisories than this re-matches everything.
WHOLE_IMPORT = 5000


@dataclass
class MatchResult:
    created: list[Finding] = field(default_factory=list)
    closed: int = 0

    @property
    def created_count(self) -> int:
        return len(self.created)


def _ranges(advisory_ids: Iterable[int] | None, keys: set[str] | None) -> dict[str, list]:
    rows = AffectedRange.objects.all()
    if advisory_ids is not None:
        rows = rows.filter(advisory_id__in=list(advisory_ids))
    if keys is not None:
        rows = rows.filter(key__in=keys)
    by_key: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for key, vers, advisory_id in rows.values_list("key", "vers", "advisory_id").iterator(
        chunk_size=5000
    ):
        by_key[key].append((advisory_id, vers))
    return by_key


def _pairs(software: Iterable[tuple], by_key: dict[str, list]) -> dict[tuple[int, int], tuple]:
    """(advisory id, asset id) → (software id, organisation id) of every match."""
    found: dict[tuple[int, int], tuple[int, int]] = {}
    for pk, asset_id, organisation_id, version, cpe_key, purl_key in software:
        for key in (cpe_key, purl_key):
            for advisory_id, vers in by_key.get(key, ()) if key else ():
                pair = (advisory_id, asset_id)
                if pair not in found and versions.contains(vers, version):
                    found[pair] = (pk, organisation_id)
    return found


def match(
    *,
    advisory_ids: Iterable[int] | None = None,
    asset_ids: Iterable[int] | None = None,
) -> MatchResult:
    """Re-match the scope (some advisories, some assets, or everything when both are None)."""
    advisory_ids = list(advisory_ids) if advisory_ids is not None else None
    asset_ids = list(asset_ids) if asset_ids is not None else None
    if advisory_ids is not None and len(advisory_ids) > WHOLE_IMPORT and asset_ids is None:
        advisory_ids = None  # a whole feed: everything, without 50 000 ids in one IN (SQLite)
    software = Software.objects.all()
    if asset_ids is not None:
        software = software.filter(asset_id__in=asset_ids)
    elif advisory_ids is not None:  # an import: only the software of the products it names
        named = set(
            AffectedRange.objects.filter(advisory_id__in=advisory_ids).values_list("key", flat=True)
        )
        software = software.filter(Q(cpe_key__in=named) | Q(purl_key__in=named))
    rows = list(
        software.values_list(
            "pk", "asset_id", "organisation_id", "version", "cpe_key", "purl_key"
        ).iterator(chunk_size=5000)
    )
    keys = None
    if asset_ids is not None:
        keys = {r[4] for r in rows} | {r[5] for r in rows if r[5]}
    found = _pairs(rows, _ranges(advisory_ids, keys))
    existing = Finding.objects.all()
    if advisory_ids is not None:
        existing = existing.filter(advisory_id__in=advisory_ids)
    if asset_ids is not None:
        existing = existing.filter(asset_id__in=asset_ids)
    with transaction.atomic():
        return _reconcile(found, existing)


def _reconcile(found: dict[tuple[int, int], tuple], existing) -> MatchResult:  # type: ignore[no-untyped-def]
    now = clock.now()
    result = MatchResult()
    known = {
        (a, s): status
        for a, s, status in existing.values_list("advisory_id", "asset_id", "status").iterator(
            chunk_size=5000
        )
    }
    gone = [pair for pair, status in known.items() if pair not in found and status in OPEN_STATUSES]
    result.closed = _close(existing, gone, now)
    new = [pair for pair in found if pair not in known]
    result.created = _create(new, found, now)
    return result


def _close(existing, gone: list[tuple[int, int]], now) -> int:  # type: ignore[no-untyped-def]
    if not gone:
        return 0
    closed = 0
    gone_set = set(gone)
    for finding in existing.filter(status__in=OPEN_STATUSES).select_for_update():
        if (finding.advisory_id, finding.asset_id) not in gone_set:
            continue
        FindingEvent.objects.create(
            finding=finding,
            at=now,
            kind="finding.no_longer_matches",
            from_status=finding.status,
            to_status=FindingStatus.FIXED,
            note=_("The inventory no longer has an affected version."),
        )
        finding.status = FindingStatus.FIXED
        finding.save(update_fields=["status", "updated_at"])
        closed += 1
    return closed


def _create(new: list[tuple[int, int]], found: dict, now) -> list[Finding]:  # type: ignore[no-untyped-def]
    if not new:
        return []
    facts = dict(Advisory.objects.filter(pk__in={a for a, _ in new}).values_list("pk", "severity"))
    kev = set(
        Advisory.objects.filter(pk__in={a for a, _ in new}, kev_listed=True).values_list(
            "pk", flat=True
        )
    )
    facing = set(
        Exposure.objects.filter(asset_id__in={s for _, s in new}, internet_facing=True).values_list(
            "asset_id", flat=True
        )
    )
    policies: dict[int, object] = {}
    rows = []
    for advisory_id, asset_id in new:
        software_id, organisation_id = found[(advisory_id, asset_id)]
        if organisation_id not in policies:  # one read per organisation, not per finding
            policies[organisation_id] = policy.policy_of(organisation_id)
        org_policy = policies[organisation_id]
        rows.append(
            Finding(
                organisation_id=organisation_id,
                advisory_id=advisory_id,
                asset_id=asset_id,
                software_id=software_id,
                found_at=now,
                due_at=policy.due_at(
                    org_policy,  # type: ignore[arg-type]
                    found_at=now,
                    severity=facts[advisory_id],
                    kev_listed=advisory_id in kev,
                    internet_facing=asset_id in facing,
                ),
            )
        )
    created = Finding.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=False)
    FindingEvent.objects.bulk_create(
        [
            FindingEvent(finding=f, at=now, kind="finding.found", to_status=FindingStatus.NEW)
            for f in created
        ],
        batch_size=2000,
    )
    alerts.alert_exploitable(
        [f for f in created if f.advisory_id in kev and f.asset_id in facing], at=now
    )
    return created
