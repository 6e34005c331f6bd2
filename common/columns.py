"""Where the fields of a form or serializer end up: the columns that bound what they may accept.

A ModelForm or ModelSerializer says so itself (``Meta.model``). Every other form or serializer
declares it in a class attribute ``stores``, so that ``tests/test_input_bounds.py`` can prove,
for every input of the product, that no accepted value is longer or larger than the column that
will hold it (a value the column cannot hold is a 500 and, at intake, a lost report).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class Stores:
    # A field named like a column of this model ends in that column.
    model: type[models.Model] | None = None
    # More columns a field ends in, or the columns of a field named otherwise:
    # {"field": ("app_label.Model.column", …)}.
    elsewhere: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Fields that end in no column: a command's choice, a value looked up, a file stored under
    # a name the server makes, a value the service cuts to the column's length.
    nowhere: frozenset[str] = frozenset()
    # The whole class stores nothing: a filter, a command, or a description of output.
    nothing: bool = False


def ends_in(
    model: type[models.Model] | None = None,
    /,
    *,
    nowhere: tuple[str, ...] = (),
    **elsewhere: str | tuple[str, ...],
) -> Stores:
    """``ends_in(Report, asset_label="incidents.Asset.asset_tag", nowhere=("eml",))``."""
    more = {
        name: (cols,) if isinstance(cols, str) else tuple(cols) for name, cols in elsewhere.items()
    }
    return Stores(model=model, elsewhere=more, nowhere=frozenset(nowhere))


# A filter, a command or an output description: none of its fields is written to a column.
NOTHING = Stores(nothing=True)
