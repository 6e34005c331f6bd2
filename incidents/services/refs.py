"""Gap-free incident references, INC-YYYY-NNNN per organisation and year, and report numbers,
R-YYYY-NNNNNN; an exercise's incidents and reports number from sequences of their own,
EX-YYYY-NNNN and EX-R-YYYY-NNNN (issue 18), so a drill never takes a real number."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.db import connection

from accounts.models import Organisation
from incidents.models import IncidentCounter


def incident_year(organisation: Organisation, at: datetime) -> int:
    """The calendar year in the organisation's time zone (a JST New Year's incident is 2027)."""
    return at.astimezone(zoneinfo.ZoneInfo(organisation.time_zone or "Asia/Tokyo")).year


def incident_next_seq(*, organisation: Organisation, year: int, exercise: bool = False) -> int:
    """Take the next number inside the caller's transaction; a rollback gives it back.
    ``exercise`` takes it from the exercises' own sequence, never the real one."""
    return next_seq(
        organisation=organisation, year=year, exercise=exercise, series=IncidentCounter.INCIDENT
    )


def report_next_seq(*, organisation: Organisation, year: int, exercise: bool = False) -> int:
    """The next report number (R-YYYY-NNNNNN, or EX-R-YYYY-NNNN for an exercise's report), from
    the same locked counter as incident references: a real report after an exercise's report
    takes the next real number, and concurrent reports never share one."""
    return next_seq(
        organisation=organisation, year=year, exercise=exercise, series=IncidentCounter.REPORT
    )


def next_seq(*, organisation: Organisation, year: int, exercise: bool, series: str) -> int:
    """The counter row is locked (by the upsert's update) until the caller's transaction ends.

    One statement (issue 20): the first number of a year inserts the row with 1, a later one
    increments it; a concurrent first number waits on the unique key and then increments.
    """
    key = {"organisation": organisation, "year": year, "exercise": exercise, "series": series}
    table = connection.ops.quote_name(IncidentCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (organisation_id, year, exercise, series, last) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, 1) "
            "ON CONFLICT (organisation_id, year, exercise, series) "
            f"DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [key["organisation"].pk, key["year"], key["exercise"], key["series"]],
        )
        return cursor.fetchone()[0]


EXERCISE_PREFIX, REAL_PREFIX = "EX", "INC"


def format_ref(year: int, seq: int, *, exercise: bool = False) -> str:
    return f"{EXERCISE_PREFIX if exercise else REAL_PREFIX}-{year}-{seq:04d}"


def may_be_exercise_ref(ref: str) -> bool:
    """Whether a reference can name an exercise's incident: a real one (INC-…) cannot, so the
    pages of real incidents ask the database nothing about exercises."""
    return ref.startswith(f"{EXERCISE_PREFIX}-")
