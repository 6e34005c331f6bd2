"""Importing a feed file: read all of it first (a bad file stores nothing and says where the
first problem is), then write the advisories, keep the versions and re-match what changed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common import clock
from common.errors import InvalidInput
from vulns import access
from vulns.enums import FeedKind
from vulns.importers import csaf, jvn, kev, nvd
from vulns.importers.jsonpath import Node, load
from vulns.importers.record import AdvisoryIn, FeedError
from vulns.models import Finding
from vulns.services import advisories, findings, matching

MAX_BYTES = 20 * 1024 * 1024
JSON_PARSERS = {FeedKind.NVD: nvd.parse, FeedKind.KEV: kev.parse, FeedKind.CSAF: csaf.parse}


@dataclass
class ImportResult:
    kind: str
    created: int
    updated: int
    unchanged: int
    findings_new: int
    findings_closed: int


def read(kind: str, data: bytes) -> list[AdvisoryIn]:
    if kind not in FeedKind.values:
        raise InvalidInput("bad_feed_kind", _("Choose the kind of feed."))
    if len(data) > MAX_BYTES:
        raise FeedError(_("The file is larger than 20 MB."), where="byte 0")
    if kind == FeedKind.JVN:
        return jvn.parse_xml(data)
    return JSON_PARSERS[kind](Node(load(data)))


def feed_import(*, kind: str, data: bytes, actor: User | None) -> ImportResult:
    """Import one feed file; ``actor`` None is the command line (or the demo)."""
    if actor is not None:
        access.require_write(actor)
    records = read(kind, data)
    now = clock.now()
    written = advisories.Written()
    with transaction.atomic():
        for record in records:
            advisories.advisory_write(record, source=kind, at=now, written=written)
        result = matching.match(advisory_ids=written.changed_ids)
        findings.findings_refresh(
            Finding.objects.filter(advisory_id__in=written.kev_changed_ids).select_related(
                "advisory", "asset"
            )
        )
    return ImportResult(
        kind=kind,
        created=written.created,
        updated=written.updated,
        unchanged=written.unchanged,
        findings_new=result.created_count,
        findings_closed=result.closed,
    )
