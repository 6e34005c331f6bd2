"""The append-only, keyed hash chain of an incident's timeline (``incidents.chain`` computes it)."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from accounts.models import User
from common import clock
from common.prepared import Prepared
from incidents import anchors, chain
from incidents.anchors import AnchoredHead
from incidents.models import Incident, TimelineEntry

GENESIS = chain.GENESIS


def _json_safe(payload: dict[str, Any]) -> dict[str, Any]:
    # What the database gives back must hash the same as what was written.
    return json.loads(json.dumps(payload, default=str, ensure_ascii=False))


@transaction.atomic(savepoint=False)
def timeline_append(
    *,
    incident: Incident,
    kind: str,
    actor: User | None = None,
    actor_label: str = "",
    payload: dict[str, Any] | None = None,
    locked: bool = False,
) -> TimelineEntry:
    """Append one entry signed with the current key; the incident row lock orders appends.

    ``locked``: the caller took the incident's row lock earlier in this transaction (intake,
    issue 20), so the head read below already sees every earlier append. The lock and the head
    cannot be one statement: a ``SELECT … FOR UPDATE`` that waits for another appender reads
    the head from the snapshot it took before waiting, i.e. without that appender's entry.

    It joins its caller's transaction without a savepoint (issue 20: two round trips per
    entry): an append that fails aborts the caller's ``atomic`` block as a whole, up to the
    nearest savepoint a caller took on purpose, so no entry is ever kept without the change
    it records, nor a change without its entry.
    """
    if not locked:
        Incident.objects.select_for_update().filter(pk=incident.pk).values_list("pk").get()
    last = _head(incident.pk)
    seq, prev = (last[0][0] + 1, last[0][1]) if last else (1, GENESIS)
    label = actor_label or (str(actor) if actor else "system")
    entry = TimelineEntry(
        incident=incident,
        seq=seq,
        at=clock.now(),
        actor=actor,
        actor_label=label[:200],
        kind=kind,
        payload=_json_safe(payload or {}),
        prev_hash=prev,
    )
    chain.seal(entry)
    _insert(entry)
    return entry


# The head and the insert are compiled once (issue 20): a report joining an incident appends
# while it holds the incident's lock, which the wave's other reports wait for.
_head = Prepared(
    lambda incident_id: (
        TimelineEntry.objects.filter(incident_id=incident_id)
        .order_by("-seq")
        .values_list("seq", "hash")[:1]
    )
)
_COLUMNS = ("incident_id", "seq", "at", "actor_id", "actor_label", "kind", "payload")
_COLUMNS += ("prev_hash", "key_id", "hash")
_VALUES = ", ".join("%s::jsonb" if name == "payload" else "%s" for name in _COLUMNS)


def _insert(entry: TimelineEntry) -> None:
    if connection.vendor != "postgresql":  # SQLite (`make run`)
        entry.save()
        return
    table = connection.ops.quote_name(TimelineEntry._meta.db_table)
    values = [getattr(entry, name) for name in _COLUMNS]
    values[_COLUMNS.index("payload")] = json.dumps(entry.payload, ensure_ascii=False)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(_COLUMNS)}) "  # noqa: S608
            f"VALUES ({_VALUES}) RETURNING id",
            values,
        )
        entry.pk = cursor.fetchone()[0]
    entry._state.adding, entry._state.db = False, connection.alias


class Check(enum.StrEnum):
    """What ``timeline_verify`` found wrong; the value is the machine-readable code."""

    SEQUENCE_GAP = "sequence_gap"
    LINK_MISMATCH = "link_mismatch"
    HASH_MISMATCH = "hash_mismatch"
    HMAC_MISMATCH = "hmac_mismatch"
    UNKNOWN_KEY = "unknown_key"
    UNKEYED_ENTRY = "unkeyed_entry"
    ANCHOR_MISMATCH = "anchor_mismatch"
    TAIL_MISSING = "tail_missing"


# In English for logs, the command and the API; the incident room translates the code.
REASONS = {
    Check.SEQUENCE_GAP: "missing entry",
    Check.LINK_MISMATCH: "previous hash does not match",
    Check.HASH_MISMATCH: "content does not match its hash",
    Check.HMAC_MISMATCH: "content does not match its HMAC",
    Check.UNKNOWN_KEY: "signed with a key id that is not configured",
    Check.UNKEYED_ENTRY: "entry is not keyed although keyed entries exist",
    Check.ANCHOR_MISMATCH: "entry differs from the chain head anchored in the last checkpoint",
    Check.TAIL_MISSING: "entries anchored in the last checkpoint are missing",
}


@dataclass(frozen=True)
class ChainStatus:
    ok: bool
    entries: int
    first_broken_seq: int | None = None
    reason: str = ""
    check: str = ""
    anchored_seq: int | None = None  # the head of the last checkpoint, when there is one
    anchored_at: datetime | None = None
    head_hash: str = ""  # the last entry's hash when the chain holds (printed on reports)

    @classmethod
    def broken(
        cls, check: Check, entries: int, seq: int, anchor: AnchoredHead | None
    ) -> ChainStatus:
        return cls(False, entries, seq, REASONS[check], check.value, *_anchor_fields(anchor))


def _anchor_fields(anchor: AnchoredHead | None) -> tuple[int | None, datetime | None]:
    return (anchor.seq, anchor.checkpoint_at) if anchor else (None, None)


class _Latest(enum.Enum):
    LATEST = "latest"


LATEST = _Latest.LATEST


def _entry_failure(entry: TimelineEntry, *, seq: int, prev: str, keyed: bool) -> Check | None:
    if entry.seq != seq:
        return Check.SEQUENCE_GAP
    if entry.prev_hash != prev:
        return Check.LINK_MISMATCH
    if entry.key_id == chain.LEGACY:
        if keyed:
            return Check.UNKEYED_ENTRY
        return None if chain.matches(entry) else Check.HASH_MISMATCH
    if not chain.known_key(entry.key_id):
        return Check.UNKNOWN_KEY
    return None if chain.matches(entry) else Check.HMAC_MISMATCH


def timeline_verify(
    *, incident: Incident, anchor: AnchoredHead | _Latest | None = LATEST
) -> ChainStatus:
    """Walk the chain and compare it with its anchored head; name the first entry that fails.

    ``anchor`` defaults to the head in the organisation's latest checkpoint file.
    """
    if anchor is LATEST:
        anchor = anchors.anchored_head(incident)
    prev, count, keyed, legacy_from = GENESIS, 0, False, None
    entries = TimelineEntry.objects.filter(incident=incident).order_by("seq")
    for entry in entries.iterator():
        count += 1
        failure = _entry_failure(entry, seq=count, prev=prev, keyed=keyed)
        if failure is None and anchor and entry.seq == anchor.seq and entry.hash != anchor.hash:
            failure = Check.ANCHOR_MISMATCH
        if failure is not None:
            at = count if failure is Check.SEQUENCE_GAP else entry.seq
            return ChainStatus.broken(failure, count, at, anchor)
        keyed = keyed or entry.key_id != chain.LEGACY
        legacy_from = None if keyed else (legacy_from or entry.seq)
        prev = entry.hash
    if anchor and count < anchor.seq:
        return ChainStatus.broken(Check.TAIL_MISSING, count, count + 1, anchor)
    if legacy_from is not None:
        # Only unkeyed entries: a keyed chain rewritten without the key, or keyed entries removed.
        return ChainStatus.broken(Check.UNKEYED_ENTRY, count, legacy_from, anchor)
    return ChainStatus(True, count, None, "", "", *_anchor_fields(anchor), head_hash=prev)
