"""What an importer reads from a feed, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from common.errors import InvalidInput


@dataclass
class RangeIn:
    key: str
    vers: str
    criteria: str = ""


@dataclass
class AdvisoryIn:
    vuln_id: str
    document: dict[str, Any]  # the feed's record, kept as a version
    title_en: str = ""
    title_ja: str = ""
    summary_en: str = ""
    summary_ja: str = ""
    cvss_vector: str = ""
    jvn_id: str = ""
    kev_listed: bool | None = None  # None: the feed says nothing about KEV
    kev_added_on: date | None = None
    published_at: datetime | None = None
    # None: the feed says nothing about affected products (KEV); [] says "none known".
    ranges: list[RangeIn] | None = field(default=None)


class FeedError(InvalidInput):
    """A feed file cannot be read; ``where`` is the line or JSON path of the first problem."""

    def __init__(self, message: Any, *, where: str) -> None:
        super().__init__("bad_feed", message, where=where)
        self.where = where
