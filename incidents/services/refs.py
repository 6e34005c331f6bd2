"""Gap-free incident references, INC-YYYY-NNNN per organisation and year, and report numbers,
R-YYYY-NNNNNN; an exercise's incidents and reports number from sequences of their own,
EX-YYYY-NNNN and EX-R-YYYY-NNNN (issue 18), so a drill never takes a real number."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.db import connection

from accounts.models import Organisation
from incidents.models import IncidentCounter, Report


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


def report_number_take(report: Report) -> None:
    """Number a filed report, as late in its transaction as the report allows (issue 20).

    The counter's row stays locked until the commit, so every report of the organisation waits
    here for the one before it to commit: whatever a report does after its number is done one
    report at a time, whatever it does before runs side by side. A report numbered already
    (an earlier step needed its number) keeps it. One statement: the counter's upsert and the
    report's number.
    """
    if report.seq is not None:
        return
    if connection.vendor != "postgresql":  # SQLite (`make run`): the same in two statements
        report.seq = report_next_seq(
            organisation=report.organisation, year=report.year, exercise=report.is_exercise
        )
        Report.objects.filter(pk=report.pk).update(seq=report.seq)
        return
    counters = connection.ops.quote_name(IncidentCounter._meta.db_table)
    reports = connection.ops.quote_name(Report._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH taken AS (INSERT INTO {counters} "  # noqa: S608
            "(organisation_id, year, exercise, series, last) VALUES (%s, %s, %s, %s, 1) "
            "ON CONFLICT (organisation_id, year, exercise, series) "
            f"DO UPDATE SET last = {counters}.last + 1 RETURNING last) "
            f"UPDATE {reports} SET seq = taken.last FROM taken WHERE {reports}.id = %s "
            "RETURNING taken.last",
            [
                report.organisation_id,
                report.year,
                report.is_exercise,
                IncidentCounter.REPORT,
                report.pk,
            ],
        )
        report.seq = cursor.fetchone()[0]


EXERCISE_PREFIX, REAL_PREFIX = "EX", "INC"


def format_ref(year: int, seq: int, *, exercise: bool = False) -> str:
    return f"{EXERCISE_PREFIX if exercise else REAL_PREFIX}-{year}-{seq:04d}"


def may_be_exercise_ref(ref: str) -> bool:
    """Whether a reference can name an exercise's incident: a real one (INC-…) cannot, so the
    pages of real incidents ask the database nothing about exercises."""
    return ref.startswith(f"{EXERCISE_PREFIX}-")
