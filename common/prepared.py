"""Reads compiled once per thread (issue 20): the fixed statements every report runs.

Django compiles a QuerySet to SQL each time it is evaluated; for the few reads every report
makes (its API key, the incident match, the triage item's keys, the timeline head) that was a
fifth to a quarter of a report's CPU. A ``Prepared`` read builds its QuerySet once per shape
(the length of each list argument) from marker arguments, keeps the SQL, where each marker went
among the parameters and the compiler's row layout; a call runs that SQL with its own arguments
and makes of the rows what the QuerySet makes of them (model instances with their
``select_related`` objects, or ``values_list`` tuples), the fields' converters included.

Arguments are ints and strings, or lists of them: a marker must reach the parameters unchanged
through the field's preparation, which is checked when the statement is compiled (a read that
does not qualify fails at once, in the tests, not with wrong rows).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.transaction import TransactionManagementError

Arg = int | str | Sequence[int] | Sequence[str]
_INT_MARKER = -7_340_000_000_000  # far from any id, count or constant a read compares with


def _marker(value: Any, i: int, j: int) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"a prepared read takes ints and strings, not {type(value).__name__}")
    return _INT_MARKER - i * 1000 - j if isinstance(value, int) else f"\x1fprepared:{i}:{j}\x1f"


Markers = dict[tuple[type, Any], tuple[int, int]]


def shape_of(args: Sequence[Arg]) -> tuple[int, ...]:
    """What one compiled statement serves: which arguments are lists, and how long."""
    return tuple(-1 if isinstance(a, int | str) else len(a) for a in args)


def mark(args: Sequence[Arg]) -> tuple[list[Any], Markers]:
    """Marker values in place of the arguments, and where each marker comes from: a read built
    from the markers shows in its SQL parameters which argument goes where."""
    markers: Markers = {}
    marked: list[Any] = []
    for i, arg in enumerate(args):
        if isinstance(arg, int | str):
            marker = _marker(arg, i, 0)
            markers[(type(marker), marker)] = (i, -1)
            marked.append(marker)
            continue
        items = [_marker(item, i, j) for j, item in enumerate(arg)]
        markers.update({(type(m), m): (i, j) for j, m in enumerate(items)})
        marked.append(items)
    return marked, markers


def _slot(markers: dict[tuple[type, Any], tuple[int, int]], param: Any) -> tuple[Any, Any]:
    """Where a parameter comes from: (argument, item), or (None, the constant it is)."""
    try:
        return markers.get((type(param), param), (None, param))
    except TypeError:  # unhashable: a constant of the QuerySet's own
        return None, param


class _Statement:
    """One shape of a read: its SQL, the place of each argument, how rows become results."""

    def __init__(self, queryset: QuerySet, markers: dict[tuple[type, Any], tuple[int, int]]):
        if queryset._prefetch_related_lookups:
            raise TypeError("a prepared read cannot prefetch")
        self.db = queryset.db
        self.compiler = queryset.query.get_compiler(using=self.db)
        self.sql, params = self.compiler.as_sql()
        self.for_update = bool(queryset.query.select_for_update)
        self.slots = [_slot(markers, param) for param in params]
        lost = set(markers.values()) - set(self.slots)
        if lost:
            raise TypeError(f"a prepared read lost arguments in compiling: {sorted(lost)}")
        selected = [column[0] for column in self.compiler.select[: self.compiler.col_count]]
        self.converters = self.compiler.get_converters(selected)
        self.iterable = queryset._iterable_class
        if self.iterable is ModelIterable:
            self._model_layout()
        elif self.iterable in (ValuesListIterable, FlatValuesListIterable):
            query = queryset.query
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            if queryset._fields and list(queryset._fields) != names:
                raise TypeError("a prepared values_list names its columns in select order")
        else:
            raise TypeError(f"a prepared read cannot return {self.iterable.__name__}")

    def _model_layout(self) -> None:
        select, klass_info = self.compiler.select, self.compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, self.db)
        self.annotations = self.compiler.annotation_col_map

    def run(self, args: Sequence[Arg]) -> list[Any]:
        params = [
            fixed if i is None else (args[i][fixed] if fixed >= 0 else args[i])
            for i, fixed in self.slots
        ]
        connection = connections[self.db]
        if self.for_update and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        converted = (
            self.compiler.apply_converters(rows, self.converters) if self.converters else rows
        )
        if self.iterable is FlatValuesListIterable:
            return [row[0] for row in converted]
        if self.iterable is ValuesListIterable:
            return [tuple(row) for row in converted]
        return [self._instance(row) for row in converted]

    def _instance(self, row: Sequence[Any]) -> Any:
        obj = self.model.from_db(self.db, self.init_list, row[self.start : self.end])
        for populator in self.populators:
            populator.populate(row, obj)
        for name, position in self.annotations.items():
            setattr(obj, name, row[position])
        return obj


class Prepared:
    """``Prepared(lambda a, b: Model.objects.filter(…))``: call it with the arguments; it
    returns the list the QuerySet would. Compiled per thread (each has its own connection)."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self._build = build
        self._local = threading.local()

    def __call__(self, *args: Arg) -> list[Any]:
        shape = shape_of(args)
        statements: dict[tuple[int, ...], _Statement] = self._local.__dict__.setdefault(
            "statements", {}
        )
        statement = statements.get(shape)
        if statement is None:
            statement = statements[shape] = self._compile(args)
        return statement.run(args)

    def _compile(self, args: Sequence[Arg]) -> _Statement:
        marked, markers = mark(args)
        return _Statement(self._build(*marked), markers)
