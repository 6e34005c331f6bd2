"""Gap-free incident references, INC-YYYY-NNNN per organisation and year, and report numbers,
R-YYYY-NNNNNN; an exercise's incidents and reports number from sequences of their own,
EX-YYYY-NNNN and EX-R-YYYY-NNNN (issue 18), so a drill never takes a real number."""

from __future__ import annotations

import zoneinfo
from contextlib import suppress
from datetime import datetime

from django.db import IntegrityError, transaction

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
    """The counter row is locked (SELECT … FOR UPDATE) until the caller's transaction ends."""
    key = {"organisation": organisation, "year": year, "exercise": exercise, "series": series}
    # A concurrent first incident of the year may create the counter first; it exists either way.
    with suppress(IntegrityError), transaction.atomic():
        IncidentCounter.objects.get_or_create(**key)
    counter = IncidentCounter.objects.select_for_update().get(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


EXERCISE_PREFIX, REAL_PREFIX = "EX", "INC"


def format_ref(year: int, seq: int, *, exercise: bool = False) -> str:
    return f"{EXERCISE_PREFIX if exercise else REAL_PREFIX}-{year}-{seq:04d}"


def may_be_exercise_ref(ref: str) -> bool:
    """Whether a reference can name an exercise's incident: a real one (INC-…) cannot, so the
    pages of real incidents ask the database nothing about exercises."""
    return ref.startswith(f"{EXERCISE_PREFIX}-")
