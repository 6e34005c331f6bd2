"""The append-only, hash-chained incident timeline."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from accounts.models import User
from common import clock
from incidents.models import Incident, TimelineEntry

GENESIS = "0" * 64


def _canonical(entry: TimelineEntry) -> str:
    body = {
        "incident": entry.incident_id,
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "kind": entry.kind,
        "payload": entry.payload,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(entry: TimelineEntry) -> str:
    return hashlib.sha256((entry.prev_hash + _canonical(entry)).encode()).hexdigest()


def _json_safe(payload: dict[str, Any]) -> dict[str, Any]:
    # What the database gives back must hash the same as what was written.
    return json.loads(json.dumps(payload, default=str, ensure_ascii=False))


@transaction.atomic
def timeline_append(
    *,
    incident: Incident,
    kind: str,
    actor: User | None = None,
    actor_label: str = "",
    payload: dict[str, Any] | None = None,
) -> TimelineEntry:
    """Append one entry; the incident row lock orders concurrent appends."""
    Incident.objects.select_for_update().filter(pk=incident.pk).values_list("pk").get()
    last = (
        TimelineEntry.objects.filter(incident=incident)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
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
    entry.hash = entry_hash(entry)
    entry.save()
    return entry


@dataclass(frozen=True)
class ChainStatus:
    ok: bool
    entries: int
    first_broken_seq: int | None = None
    reason: str = ""


def timeline_verify(*, incident: Incident) -> ChainStatus:
    """Walk the chain; report the first entry whose link or content does not match."""
    prev = GENESIS
    count = 0
    expected_seq = 1
    for entry in TimelineEntry.objects.filter(incident=incident).order_by("seq").iterator():
        count += 1
        if entry.seq != expected_seq:
            return ChainStatus(False, count, expected_seq, "missing entry")
        if entry.prev_hash != prev:
            return ChainStatus(False, count, entry.seq, "previous hash does not match")
        if entry_hash(entry) != entry.hash:
            return ChainStatus(False, count, entry.seq, "content does not match its hash")
        prev = entry.hash
        expected_seq += 1
    return ChainStatus(True, count)
