"""Signed checkpoint files: each organisation's timeline heads, anchored outside the database.

``TIMELINE_ANCHOR_DIR/org-<id>/<UTC time>.json`` holds, for every incident of the organisation,
the sequence number and hash of its chain head when the checkpoint was written, signed with
HMAC-SHA256 under the current timeline key (the key id is in the file). Each checkpoint names
the signature of the one before it. A chain shorter than its anchored head, or with another
entry at that place, was cut or rewritten (``timeline_verify``); the copies mailed to the ISMS
office let an auditor check against a checkpoint this host no longer holds
(``verify_timeline --checkpoint``). ``services.checkpoints`` decides what to write.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from incidents import chain

FORMAT = "isms-csirt/timeline-checkpoint/1"
# Keeps a checkpoint's signature apart from any entry's HMAC under the same key.
DOMAIN = b"isms-csirt timeline checkpoint\n"

logger = logging.getLogger(__name__)


class CheckpointInvalid(Exception):
    """The file is not a checkpoint this installation signed."""


@dataclass(frozen=True)
class Head:
    """One incident's chain head as a checkpoint records it."""

    incident_id: int
    ref: str
    seq: int
    hash: str
    at: str  # when the head entry was written (ISO 8601)

    def as_json(self) -> dict[str, Any]:
        return {
            "incident": self.incident_id,
            "ref": self.ref,
            "seq": self.seq,
            "hash": self.hash,
            "at": self.at,
        }


@dataclass(frozen=True)
class AnchoredHead:
    """What ``timeline_verify`` compares a chain with."""

    seq: int
    hash: str
    checkpoint_at: datetime
    checkpoint: str  # the file's name


@dataclass(frozen=True)
class Checkpoint:
    organisation_id: int
    created_at: datetime
    heads: dict[int, Head]
    broken: list[dict[str, Any]] = field(default_factory=list)
    signature: str = ""
    path: Path | None = None

    @property
    def name(self) -> str:
        return self.path.name if self.path else ""

    def anchored(self, incident_id: int) -> AnchoredHead | None:
        head = self.heads.get(incident_id)
        if head is None:
            return None
        return AnchoredHead(head.seq, head.hash, self.created_at, self.name)


def directory(organisation_id: int) -> Path:
    return Path(settings.TIMELINE_ANCHOR_DIR) / f"org-{organisation_id}"


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _sign(key_id: str, body: dict[str, Any]) -> str:
    return chain.mac(key_id, DOMAIN + _canonical(body))


def read(path: Path) -> Checkpoint:
    """Parse and authenticate one checkpoint file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        signature = document.pop("signature")
        key_id = document["key_id"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CheckpointInvalid(f"{path.name}: not a checkpoint ({exc})") from exc
    if document.get("format") != FORMAT:
        raise CheckpointInvalid(f"{path.name}: unknown format")
    if not chain.known_key(key_id):
        raise CheckpointInvalid(f"{path.name}: signed with key id {key_id!r}, not configured")
    if not isinstance(signature, str) or not hmac.compare_digest(
        _sign(key_id, document), signature
    ):
        raise CheckpointInvalid(f"{path.name}: signature does not match")
    heads = [Head(r["incident"], r["ref"], r["seq"], r["hash"], r["at"]) for r in document["heads"]]
    return Checkpoint(
        organisation_id=document["organisation"],
        created_at=datetime.fromisoformat(document["created_at"]),
        heads={head.incident_id: head for head in heads},
        broken=document["broken"],
        signature=signature,
        path=path,
    )


def latest(organisation_id: int) -> Checkpoint | None:
    """The newest checkpoint of the organisation whose signature holds (others are logged)."""
    folder = directory(organisation_id)
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.json"), reverse=True):
        try:
            checkpoint = read(path)
        except CheckpointInvalid as exc:
            logger.warning("timeline checkpoint skipped: %s", exc)
            continue
        if checkpoint.organisation_id == organisation_id:
            return checkpoint
        logger.warning("timeline checkpoint skipped: %s names another organisation", path.name)
    return None


def organisations_anchored() -> set[int]:
    """The organisations that have a checkpoint folder (for incidents that are gone)."""
    root = Path(settings.TIMELINE_ANCHOR_DIR)
    names = (p.name.removeprefix("org-") for p in root.glob("org-*")) if root.is_dir() else ()
    return {int(name) for name in names if name.isdigit()}


def anchored_head(incident: Any) -> AnchoredHead | None:
    checkpoint = latest(incident.organisation_id)
    return checkpoint.anchored(incident.pk) if checkpoint else None


def write(
    *,
    organisation_id: int,
    organisation_name: str,
    created_at: datetime,
    heads: list[Head],
    broken: list[dict[str, Any]],
    previous: Checkpoint | None,
) -> Checkpoint:
    """Sign and write a checkpoint atomically (a reader never sees half a file)."""
    key_id = chain.current_key_id()
    body = {
        "format": FORMAT,
        "organisation": organisation_id,
        "organisation_name": organisation_name,
        "created_at": created_at.isoformat(),
        "previous": {"file": previous.name, "signature": previous.signature} if previous else None,
        "heads": [head.as_json() for head in sorted(heads, key=lambda h: h.incident_id)],
        "broken": broken,
        "key_id": key_id,
    }
    signature = _sign(key_id, body)
    folder = directory(organisation_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{created_at:%Y%m%dT%H%M%S%fZ}.json"
    text = json.dumps({**body, "signature": signature}, ensure_ascii=False, indent=1)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".writing-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return Checkpoint(
        organisation_id, created_at, {h.incident_id: h for h in heads}, broken, signature, path
    )
