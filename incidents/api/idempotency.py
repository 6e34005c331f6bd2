"""``Idempotency-Key`` for POSTs that create: a retry gets the first response, never a twin.

The record is inserted *before* the work, in the same transaction: a concurrent request with
the same key blocks on the unique constraint until the first commits, then replays its
response. A request that fails rolls its record back, so it can be retried with the same key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import ApiKey
from common.errors import Conflict, InvalidInput
from incidents.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


def idempotent(request: Request, respond: Callable[[], Response]) -> Response:
    """Run ``respond`` once per (requester, key); replay its response for the same body."""
    key = request.headers.get(HEADER)
    if key is None:
        return respond()
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(
            "invalid_idempotency_key",
            _("The Idempotency-Key must be 1 to 200 printable characters."),
            field=HEADER,
        )
    owner, fingerprint = _owner(request), request_fingerprint(request)
    with transaction.atomic():
        record_id = _claim(owner, key, fingerprint)
        if record_id is None:
            return _replay(owner, key, fingerprint)
        response = respond()
        _answer(record_id, response)
    return response


def _answer(record_id: int, response: Response) -> None:
    """Keep the response for a retry: on PostgreSQL the rendered JSON as it is (issue 20: no
    parse and dump again, no UPDATE compiled per request)."""
    body = JSONRenderer().render(response.data).decode()
    if connection.vendor != "postgresql":  # SQLite (`make run`)
        IdempotencyRecord.objects.filter(pk=record_id).update(
            status_code=response.status_code, response_body=json.loads(body)
        )
        return
    table = connection.ops.quote_name(IdempotencyRecord._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status_code = %s, response_body = %s::jsonb "  # noqa: S608
            "WHERE id = %s",
            [response.status_code, body, record_id],
        )


def _claim(owner: str, key: str, fingerprint: str) -> int | None:
    """Insert the key's record; None when another request holds the key (once it committed).

    On PostgreSQL one ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (issue 20: no savepoint
    around the insert, so two round trips fewer): like the plain insert it waits for a
    concurrent holder of the key; if that one commits nothing is inserted and its answer is
    replayed, if it rolls back this request claims the key.
    """
    if connection.vendor != "postgresql":  # SQLite (`make run`): the insert in a savepoint
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    owner=owner, key=key, request_hash=fingerprint, status_code=0, response_body={}
                ).pk
        except IntegrityError:
            return None
    table = connection.ops.quote_name(IdempotencyRecord._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} "  # noqa: S608
            "(owner, key, request_hash, status_code, response_body, created_at) "
            "VALUES (%s, %s, %s, 0, '{}'::jsonb, %s) "
            "ON CONFLICT (owner, key) DO NOTHING RETURNING id",
            [owner, key, fingerprint, timezone.now()],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _owner(request: Request) -> str:
    if isinstance(request.auth, ApiKey):
        return f"key:{request.auth.pk}"
    return f"user:{request.user.pk}"


def _replay(owner: str, key: str, fingerprint: str) -> Response:
    record = IdempotencyRecord.objects.get(owner=owner, key=key)
    if record.request_hash != fingerprint:
        raise Conflict(
            "idempotency_key_reused",
            _("This Idempotency-Key was used with a different request."),
            field=HEADER,
        )
    return Response(
        record.response_body, status=record.status_code, headers={"Idempotent-Replayed": "true"}
    )


def request_fingerprint(request: Request) -> str:
    """SHA-256 of path and parsed body: a multipart retry with a new boundary still matches."""
    data = request.data
    if hasattr(data, "lists"):
        body: Any = {name: [_plain(v) for v in values] for name, values in data.lists()}
    else:
        body = data
    canonical = json.dumps(
        {"path": request.path, "body": body}, sort_keys=True, default=str, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if not isinstance(value, UploadedFile):
        return value
    sha = hashlib.sha256()
    for chunk in value.chunks():
        sha.update(chunk)
    value.seek(0)
    return f"file:{value.name}:{sha.hexdigest()}"
