"""TLP 2.0 on every way out (issue 22 item 5): the one function that decides whether something
marked with a TLP may go under a ceiling. Pure.

The STIX and MISP exports (`sharing.tlp.permits`, a recipient class's ceiling), the guest pages
and the outside responders (`comms.services.guests`), the incident report PDF (`records.report`)
all ask `within`; `split` keeps what may leave and counts what was withheld.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from incidents.models.enums import Tlp

# From the loosest to the strictest.
ORDER = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED)
T = TypeVar("T")


def rank(tlp: str) -> int:
    return ORDER.index(Tlp(tlp))


def within(tlp: str, ceiling: str) -> bool:
    """True when content marked ``tlp`` may go where ``ceiling`` is the strictest allowed
    (an unknown label never goes anywhere)."""
    if tlp not in ORDER or ceiling not in ORDER:
        return False
    return ORDER.index(tlp) <= ORDER.index(ceiling)


def split(items: Iterable[T], ceiling: str, label: Callable[[T], str]) -> tuple[list[T], int]:
    """The items within the ceiling, and how many were withheld."""
    kept: list[T] = []
    withheld = 0
    for item in items:
        if within(label(item), ceiling):
            kept.append(item)
        else:
            withheld += 1
    return kept, withheld
