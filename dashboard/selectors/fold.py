"""Several small reads in one statement (issue 20: the home page's tiles were a query each).

Each part is a ``values()`` query set; it runs as a sub-query whose rows come back as one JSON
array, so the parts keep their own filters, joins and indexes. JSON has no time type: a part
that reads a time gets it back as ISO text (``parse_time``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import QuerySet

Rows = list[dict[str, Any]]


def fold(parts: Mapping[str, QuerySet[Any]]) -> dict[str, Rows]:
    """Every part's rows (as dictionaries) in one query; no query when there is no part."""
    if not parts:
        return {}
    if connection.vendor != "postgresql":  # SQLite (`make run`): a query per part, same shape
        return {name: _as_json(list(qs)) for name, qs in parts.items()}
    selects, params = [], []
    for qs in parts.values():
        sql, part_params = qs.query.sql_with_params()
        # Django's own SQL for the part, its values passed apart as parameters.
        part = f"(SELECT COALESCE(json_agg(part), '[]'::json) FROM ({sql}) AS part)"  # noqa: S608
        selects.append(part)
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        row = cursor.fetchone()
    return {
        name: json.loads(value) if isinstance(value, str) else value
        for name, value in zip(parts, row, strict=True)
    }


def _as_json(rows: list[Any]) -> Rows:
    """The rows as the JSON round trip gives them on PostgreSQL (times as ISO text)."""
    return json.loads(json.dumps(rows, cls=DjangoJSONEncoder))


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
