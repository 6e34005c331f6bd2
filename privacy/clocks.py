"""The APPI clocks (rule A-4 and the worked deadline table of DOMAIN-MODEL §3.6). Pure.

速報 (PPC_SOKUHO): aim for aware_at + 72 h, due aware_at + 120 h (guideline 3-5-3-3 "概ね3～5日").
確報 (PPC_KAKUHO): the end of day 30 (day 60 when category 3 applies) in the organisation's time
zone, day 1 being the aware date (rule art. 8(2); APPI_DAY1_IS_AWARE_DATE).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

SOKUHO_SOFT = timedelta(hours=72)
SOKUHO_DUE = timedelta(hours=120)
KAKUHO_DAYS = 30
KAKUHO_DAYS_CAT3 = 60
END_OF_DAY = time(23, 59, 59)


def sokuho(aware_at: datetime) -> tuple[datetime, datetime]:
    """(soft due, due) of the preliminary report."""
    return aware_at + SOKUHO_SOFT, aware_at + SOKUHO_DUE


def kakuho_days(categories: list[int] | set[int]) -> int:
    return KAKUHO_DAYS_CAT3 if 3 in categories else KAKUHO_DAYS


def kakuho(aware_at: datetime, categories: list[int] | set[int], zone: str) -> datetime:
    """The final report's due: 23:59:59 on day 30 (60) counted from the aware date, day 1."""
    tz = ZoneInfo(zone)
    day1 = aware_at.astimezone(tz).date()
    last = day1 + timedelta(days=kakuho_days(categories) - 1)
    return datetime.combine(last, END_OF_DAY, tzinfo=tz)
