"""Small text helpers shared by every app's rendering code."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext


def join_list(items: Iterable[object]) -> str:
    """Join names as the active language lists them: 「A、B」 in Japanese, "A, B" in English."""
    return pgettext("list separator", ", ").join(str(item) for item in items)
