"""Advisories written from the feeds: merged per vulnerability id, each new record kept as a
version (``AdvisoryVersion``), so re-importing the same file changes nothing."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from vulns import cvssparse
from vulns.enums import FeedKind
from vulns.importers.record import AdvisoryIn
from vulns.models import Advisory, AdvisoryVersion, AffectedRange


@dataclass
class Written:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_ids: list[int] = field(default_factory=list)  # new or updated: re-match these
    kev_changed_ids: list[int] = field(default_factory=list)  # their findings' due dates change


def _digest(document: dict) -> str:
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


# Whose CVSS wins: NVD's analysis, then the vendor's CSAF, then JVN's.
CVSS_RANK = {FeedKind.NVD: 3, FeedKind.CSAF: 2, FeedKind.JVN: 1}


def _apply(advisory: Advisory, record: AdvisoryIn, source: str) -> None:
    for name in ("title_en", "title_ja", "summary_en", "summary_ja", "jvn_id"):
        value = getattr(record, name)
        if value:
            setattr(advisory, name, value[:500] if name.startswith("title") else value)
    if record.cvss_vector:
        vector, score, severity = cvssparse.parse(record.cvss_vector)
        rank = CVSS_RANK.get(source, 0)
        if not advisory.cvss_vector or rank >= CVSS_RANK.get(advisory.cvss_source, 0):
            advisory.cvss_vector, advisory.cvss_score, advisory.severity = vector, score, severity
            advisory.cvss_source = source
    if record.kev_listed is not None:
        advisory.kev_listed = record.kev_listed
        advisory.kev_added_on = record.kev_added_on or advisory.kev_added_on
    if record.published_at and not advisory.published_at:
        advisory.published_at = record.published_at


def advisory_write(record: AdvisoryIn, *, source: str, at: datetime, written: Written) -> None:
    """Write one record of a feed (inside the import's transaction)."""
    digest = _digest(record.document)
    advisory, created = Advisory.objects.select_for_update().get_or_create(vuln_id=record.vuln_id)
    if AdvisoryVersion.objects.filter(advisory=advisory, source=source, digest=digest).exists():
        written.unchanged += 1
        return
    was_kev = advisory.kev_listed
    _apply(advisory, record, source)
    advisory.revision += 1
    advisory.save()
    AdvisoryVersion.objects.create(
        advisory=advisory,
        source=source,
        revision=advisory.revision,
        digest=digest,
        document=record.document,
        imported_at=at,
    )
    if record.ranges is not None:
        AffectedRange.objects.filter(advisory=advisory, source=source).delete()
        AffectedRange.objects.bulk_create(
            AffectedRange(
                advisory=advisory,
                source=source,
                key=r.key[:250],
                vers=r.vers[:500],
                criteria=r.criteria[:500],
            )
            for r in record.ranges
        )
    if created:
        written.created += 1
    else:
        written.updated += 1
    written.changed_ids.append(advisory.pk)
    if advisory.kev_listed != was_kev:
        written.kev_changed_ids.append(advisory.pk)
