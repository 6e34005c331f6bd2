"""What the timeline's hash chain computes, with which key: pure functions, no database.

An entry's ``hash`` is HMAC-SHA256, under the key its ``key_id`` names, over the previous
entry's hash and the entry's canonical JSON (which includes the key id). The keys come from the
settings (``TIMELINE_HMAC_KEYS``), never from the database, so whoever can rewrite rows cannot
recompute the chain. Entries written before keys existed have an empty ``key_id`` and carry plain
SHA-256 ("legacy"); migration 0013 closed each such chain with a keyed entry, and a legacy entry
is accepted only before a keyed one (``timeline_verify``).

Migrations use these functions too, so they read only plain attributes of the entry.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, Protocol

from django.conf import settings

GENESIS = "0" * 64
LEGACY = ""  # the key id of entries hashed before keys existed


class Sealable(Protocol):
    incident_id: int
    seq: int
    at: Any
    actor_id: int | None
    actor_label: str
    kind: str
    payload: Any
    prev_hash: str
    key_id: str
    hash: str


def canonical(entry: Sealable) -> str:
    body: dict[str, Any] = {
        "incident": entry.incident_id,
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "kind": entry.kind,
        "payload": entry.payload,
    }
    if entry.key_id != LEGACY:
        body["key"] = entry.key_id
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def current_key_id() -> str:
    return settings.TIMELINE_HMAC_KEY_ID


def known_key(key_id: str) -> bool:
    return key_id in settings.TIMELINE_HMAC_KEYS


def mac(key_id: str, message: bytes) -> str:
    """HMAC-SHA256 under the configured key ``key_id`` (KeyError when it is not configured)."""
    return hmac.new(settings.TIMELINE_HMAC_KEYS[key_id], message, hashlib.sha256).hexdigest()


def digest(entry: Sealable) -> str:
    """The hash the entry must carry: keyed for its key id, plain SHA-256 for a legacy entry."""
    message = (entry.prev_hash + canonical(entry)).encode()
    if entry.key_id == LEGACY:
        return hashlib.sha256(message).hexdigest()
    return mac(entry.key_id, message)


def seal(entry: Sealable) -> None:
    """Sign a new entry with the current key."""
    entry.key_id = current_key_id()
    entry.hash = digest(entry)


def matches(entry: Sealable) -> bool:
    return hmac.compare_digest(digest(entry), entry.hash)
