"""Several small reads in one statement (issue 20: the home page's tiles were a query each; the
incident page's lists too).

Each part is a query set; it runs as a sub-query whose rows come back as one JSON array, so the
parts keep their own filters, joins and indexes. A ``values()`` part gives dictionaries (JSON
has no time type: a time comes back as ISO text, ``parse_time``); a query set of model
instances (with its ``select_related`` joins and annotations) gives the instances, built as
Django builds them, after each column is read back from JSON by its field's type.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import EmptyResultSet
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.utils.dateparse import parse_date, parse_duration

from common.prepared import Arg, _slot, mark, shape_of

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Compiled:
    """A part compiled ahead (``kept``, ``PreparedFold``): its SQL, parameters and reader."""

    sql: str
    params: tuple[Any, ...]
    read: Callable[[Any], Any]


Part = QuerySet[Any] | Compiled
KEPT_KEYS = 256  # per thread: a few organisations × zones × days; cleared when full
_kept = threading.local()


def kept(
    key: Hashable, build: Callable[[], Mapping[str, QuerySet[Any]]], *, moments: bool = True
) -> dict[str, Part]:
    """``build()``'s parts for ``fold``, compiled once per thread and ``key`` (issue 20: the home
    page's 30-day trend, five grouped parts, cost ~4 ms of Python per request to build and
    compile though it changes once a day). Only for parts that are a pure function of the key:
    what they read from the database belongs in their SQL, not in their parameters — so the
    build may not query (``KeptImpure``), and with ``moments=False`` (a key without the moment)
    no part may hold a date or time."""
    if connection.vendor != "postgresql":
        return dict(build())
    cache = _kept.__dict__.setdefault("parts", {})
    parts = cache.get(key)
    if parts is None:
        if len(cache) >= KEPT_KEYS:
            cache.clear()
        with connection.execute_wrapper(_refuse_queries):
            built = build()
        parts = {name: _compile_ahead(qs) for name, qs in built.items()}
        if not moments:
            _refuse_moments(parts)
        cache[key] = parts
    return parts


class KeptImpure(TypeError):
    """A kept part would keep what changes without its key: a row read while it was built, or
    the moment."""


def _refuse_queries(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    raise KeptImpure(f"a kept part read the database while being built: {sql[:200]}")


def _refuse_moments(parts: Mapping[str, Compiled]) -> None:
    for name, part in parts.items():
        if any(isinstance(p, date | time) for p in part.params):
            raise KeptImpure(f"the kept part {name!r} holds a date or time its key does not")


def _compile_ahead(qs: QuerySet[Any]) -> Compiled:
    if qs.query.is_empty():  # no row to ask for (``none()``)
        return Compiled("'[]'::json", (), _same)
    sql, params, read = _part(qs)
    return Compiled(sql, tuple(params), read)


def fold(parts: Mapping[str, Part]) -> dict[str, Any]:
    """Every part's rows in one query (dictionaries, or model instances for a query set of
    models); no query when there is no part."""
    if not parts:
        return {}
    # A part that can have no row (``none()``) is not asked.
    empty = {
        name: [] for name, qs in parts.items() if isinstance(qs, QuerySet) and qs.query.is_empty()
    }
    parts = {name: qs for name, qs in parts.items() if name not in empty}
    if not parts:
        return empty
    if connection.vendor != "postgresql":  # SQLite (`make run`): a query per part, same shape
        return empty | {name: _alone(qs) for name, qs in parts.items()}
    selects, params, readers = [], [], []
    for qs in parts.values():
        sql, part_params, read = (
            (qs.sql, qs.params, qs.read) if isinstance(qs, Compiled) else _part(qs)
        )
        selects.append(sql)
        params.extend(part_params)
        readers.append(read)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        row = cursor.fetchone()
    return empty | {
        name: read(json.loads(value) if isinstance(value, str) else value)
        for name, value, read in zip(parts, row, readers, strict=True)
    }


def _alone(qs: QuerySet[Any]) -> Any:
    if qs.query.is_empty():
        return []
    if _is_models(qs):
        return list(qs)
    return _as_json(list(qs))


def _is_models(qs: QuerySet[Any]) -> bool:
    return qs._iterable_class is ModelIterable


def _part(qs: QuerySet[Any]) -> tuple[str, list[Any], Callable[[Any], Any]]:
    try:
        return _compiled(qs)
    except EmptyResultSet:  # a condition that matches nothing (``pk__in=[]``): no row
        return "'[]'::json", [], lambda rows: rows


def _compiled(qs: QuerySet[Any]) -> tuple[str, list[Any], Callable[[Any], Any]]:
    if not _is_models(qs):
        sql, params = qs.query.sql_with_params()
        # Django's own SQL for the part, its values passed apart as parameters.
        part = f"(SELECT COALESCE(json_agg(part), '[]'::json) FROM ({sql}) AS part)"  # noqa: S608
        return part, list(params), lambda rows: rows
    if qs._prefetch_related_lookups or qs.query.distinct:
        raise ValueError("fold: a part of model instances cannot prefetch or be DISTINCT")
    compiler = qs.query.get_compiler(using=qs.db)
    sql, params = compiler.as_sql()
    # The columns renamed by position (a select_related join repeats names such as "id").
    names = ", ".join(f"c{i}" for i in range(len(compiler.select)))
    part = f"(SELECT COALESCE(json_agg(part), '[]'::json) FROM ({sql}) AS part({names}))"  # noqa: S608
    return part, list(params), lambda rows: _instances(qs, compiler, rows)


def _instances(qs: QuerySet[Any], compiler: Any, rows: Rows) -> list[Any]:
    """The model instances of a part, as ``ModelIterable`` builds them from a cursor's rows."""
    select, klass_info = compiler.select, compiler.klass_info
    readers = [_reader(expression.output_field) for expression, _, _ in select]
    typed = [[read(row[f"c{i}"]) for i, read in enumerate(readers)] for row in rows]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, qs.db)
    out = []
    for row in compiler.results_iter([typed]):
        obj = klass_info["model"].from_db(qs.db, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in compiler.annotation_col_map.items():
            setattr(obj, name, row[position])
        out.append(obj)
    return out


def _reader(field: Any) -> Callable[[Any], Any]:
    """How a column's JSON value becomes what the database driver would have given."""
    kind = field.get_internal_type()
    convert: Callable[[Any], Any] | None = {
        "DateTimeField": datetime.fromisoformat,
        "DateField": parse_date,
        "DurationField": parse_duration,
        "DecimalField": lambda v: Decimal(str(v)),
        "UUIDField": UUID,
        # The field's own converter reads JSON text, as the driver gives it.
        "JSONField": json.dumps,
    }.get(kind)
    if kind in {"BinaryField", "TimeField"}:
        raise ValueError(f"fold: a {kind} column cannot be read back from JSON")
    if convert is None:
        return lambda value: value
    return lambda value: None if value is None else convert(value)


def _as_json(rows: list[Any]) -> Rows:
    """The rows as the JSON round trip gives them on PostgreSQL (times as ISO text)."""
    return json.loads(json.dumps(rows, cls=DjangoJSONEncoder))


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class PreparedFold:
    """``PreparedFold(lambda incident_id: {name: QuerySet, …})``: ``fold`` of parts whose
    arguments are ints and strings, its statement compiled once per thread and shape (issue 20:
    compiling the incident page's eleven parts was a sixth of its CPU). As ``common.prepared``,
    the parts are built once from marker arguments; each call runs the kept SQL with its own.

    A part's other parameters are kept as constants, so a part must not depend on the moment
    (a date or time parameter is refused when compiling: it would stay the first call's)."""

    def __init__(self, build: Callable[..., Mapping[str, QuerySet[Any]]]) -> None:
        self._build = build
        self._local = threading.local()

    def __call__(self, *args: Arg) -> dict[str, Any]:
        if connection.vendor != "postgresql":  # SQLite (`make run`): fold as it is
            return fold(self._build(*args))
        shape = shape_of(args)
        statements = self._local.__dict__.setdefault("statements", {})
        statement = statements.get(shape)
        if statement is None:
            statement = statements[shape] = _FoldStatement(self._build, args)
        return statement.run(args)


class _FoldStatement:
    def __init__(self, build: Callable[..., Mapping[str, QuerySet[Any]]], args: Any) -> None:
        marked, markers = mark(args)
        parts = build(*marked)
        self.names = list(parts)
        selects, params, self.readers = [], [], []
        for qs in parts.values():
            part = _compile_ahead(qs)
            selects.append(part.sql)
            params.extend(part.params)
            self.readers.append(part.read)
        self.sql = "SELECT " + ", ".join(selects)
        self.slots = [_slot(markers, param) for param in params]
        lost = set(markers.values()) - set(self.slots)
        if lost:
            raise TypeError(f"a prepared fold lost arguments in compiling: {sorted(lost)}")
        if any(i is None and isinstance(p, date | time) for i, p in self.slots):
            raise TypeError("a prepared fold cannot keep a date or time parameter")

    def run(self, args: Any) -> dict[str, Any]:
        params = [
            fixed if i is None else (args[i][fixed] if fixed >= 0 else args[i])
            for i, fixed in self.slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        return {
            name: read(json.loads(value) if isinstance(value, str) else value)
            for name, value, read in zip(self.names, row, self.readers, strict=True)
        }


def _same(rows: Rows) -> Rows:
    return rows
