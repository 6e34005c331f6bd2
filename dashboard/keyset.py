"""Keyset pagination for the browser lists: "the rows after this one", never "skip N rows".

A page is ``LIMIT size + 1`` rows after the cursor in a fixed ordering that ends in ``id``, so
page 1 000 costs what page 1 costs and no ``COUNT(*)`` runs. The cursor is the last row's key
(``[value, id]``), base64-encoded JSON: it names a position, not a permission, so tampering
with it only moves the window inside what the selector already allows.

The condition is written as ``key <= x AND (key < x OR (key = x AND id < y))`` (for a descending
key): the first conjunct gives PostgreSQL an index range to start from, which a plain OR would
not. A nullable key sorts its NULLs last (ascending lists only: tasks without a due time).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import F, Model, Q, QuerySet

T = TypeVar("T", bound=Model)

PAGE_SIZE = 50


@dataclass(frozen=True)
class Ordering:
    """A list's order: one key column (or only ``id``), then ``id`` in the same direction."""

    key: str
    descending: bool = True
    nulls_last: bool = False

    def order_by(self) -> list[Any]:
        sign = "-" if self.descending else ""
        if self.key == "id":
            return [f"{sign}id"]
        if self.nulls_last:
            column = F(self.key)
            first = column.desc(nulls_last=True) if self.descending else column.asc(nulls_last=True)
            return [first, f"{sign}id"]
        return [f"{sign}{self.key}", f"{sign}id"]

    def after(self, value: Any, pk: int) -> Q:
        """Rows strictly after ``(value, pk)`` in this order."""
        beyond, past = ("lt", "lt") if self.descending else ("gt", "gt")
        if self.key == "id":
            return Q(**{f"id__{past}": pk})
        if value is None:
            # Only NULLs-last keys reach here: the rest of the NULL block, by id.
            return Q(**{f"{self.key}__isnull": True, f"id__{past}": pk})
        bound = "lte" if self.descending else "gte"
        condition = Q(**{f"{self.key}__{bound}": value}) & (
            Q(**{f"{self.key}__{beyond}": value}) | Q(**{self.key: value, f"id__{past}": pk})
        )
        if self.nulls_last:
            condition |= Q(**{f"{self.key}__isnull": True})
        return condition

    def position(self, row: Model) -> list[Any]:
        if self.key == "id":
            return [None, row.pk]
        return [getattr(row, self.key), row.pk]


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    next_cursor: str
    is_first: bool

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)


def encode(model: type[Model], ordering: Ordering, row: Model) -> str:
    value, pk = ordering.position(row)
    if value is not None:
        value = model._meta.get_field(ordering.key).value_to_string(row)
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(model: type[Model], ordering: Ordering, cursor: str) -> tuple[Any, int] | None:
    """The position a cursor names, or None for a cursor that is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        if not isinstance(pk, int) or isinstance(pk, bool):
            return None
        if value is not None:
            value = model._meta.get_field(ordering.key).to_python(value)
    except (binascii.Error, ValueError, TypeError, ValidationError):
        return None
    if value is None and ordering.key != "id" and not ordering.nulls_last:
        return None
    return value, pk


def paginate(
    queryset: QuerySet[T], *, ordering: Ordering, cursor: str = "", size: int = PAGE_SIZE
) -> Page[T]:
    """One page of ``queryset`` after ``cursor``; an unreadable cursor starts at the top."""
    model = queryset.model
    position = decode(model, ordering, cursor) if cursor else None
    rows = queryset.order_by(*ordering.order_by())
    if position is not None:
        rows = rows.filter(ordering.after(*position))
    fetched = list(rows[: size + 1])
    more = len(fetched) > size
    fetched = fetched[:size]
    next_cursor = encode(model, ordering, fetched[-1]) if more else ""
    return Page(rows=fetched, next_cursor=next_cursor, is_first=position is None)
