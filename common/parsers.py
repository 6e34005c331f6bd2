"""The API's JSON parser: DRF's, with a bound on how deeply a document may nest.

JSON nested 100 000 deep made Python's decoder raise RecursionError (a 500), and a document
just under the interpreter's limit would fail later, wherever the value is walked again
(validation, hashing, storing). No input of the API nests deeper than a few levels.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        message = _("JSON parse error - nested deeper than %(limit)d levels.") % {
            "limit": MAX_DEPTH
        }
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(message) from None
        if too_deep(data):
            raise ParseError(message)
        return data


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and objects nest deeper than ``limit`` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        if children and depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
