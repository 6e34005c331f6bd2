"""Small text helpers shared by every app's rendering code."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from django.utils.translation import pgettext


def escape(value: Any) -> str:
    """``{{ value }}`` of a text or an object: its string escaped, as ``conditional_escape``
    (without its lazy-argument wrapper: Python-built rows and widgets call it a thousand times
    a page, issue 20)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def join_list(items: Iterable[object]) -> str:
    """Join names as the active language lists them: 「A、B」 in Japanese, "A, B" in English."""
    return pgettext("list separator", ", ").join(str(item) for item in items)
