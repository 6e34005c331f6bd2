"""What someone with write access to the database (but not the timeline key) can do to a chain.

Every change goes around the append-only triggers the way a superuser would
(``session_replication_role = replica`` for the statement), and the forged hashes are what
anybody can compute without the key: plain SHA-256 over the previous hash and the entry.
"""

from __future__ import annotations

import hashlib
import json

from django.db import connection

from incidents import chain
from incidents.models import Incident, TimelineEntry


def as_dba(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(statement, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def _unkeyed_hash(entry: TimelineEntry) -> str:
    return hashlib.sha256((entry.prev_hash + chain.canonical(entry)).encode()).hexdigest()


def rewrite_and_rechain(incident: Incident, seq: int, payload: dict, *, keep_key_id: bool) -> None:
    """Change entry ``seq`` and recompute every hash from there on, without the key.

    ``keep_key_id=False`` makes the forged entries look like legacy ones (no key id), which is
    exactly the chain plain SHA-256 verification accepts.
    """
    prev = chain.GENESIS
    for entry in TimelineEntry.objects.filter(incident=incident).order_by("seq"):
        if entry.seq < seq:
            prev = entry.hash
            continue
        entry.payload = payload if entry.seq == seq else entry.payload
        entry.prev_hash = prev
        entry.key_id = entry.key_id if keep_key_id else chain.LEGACY
        entry.hash = prev = _unkeyed_hash(entry)
        as_dba(
            "UPDATE incidents_timelineentry SET payload=%s, prev_hash=%s, key_id=%s, hash=%s "
            "WHERE id=%s",
            [json.dumps(entry.payload), entry.prev_hash, entry.key_id, entry.hash, entry.pk],
        )


def delete_last(incident: Incident) -> int:
    last = TimelineEntry.objects.filter(incident=incident).order_by("-seq").first()
    as_dba("DELETE FROM incidents_timelineentry WHERE id=%s", [last.pk])
    return last.seq
