"""The statistics rollup kept in the same transaction as the rows it counts (issue 20).

The statistics page (``dashboard.selectors.statistics``) reads, per month of the organisation's
calendar, incidents by category and peak level, the closed triage items (triaged, false
positives), the times to triage, resolve, isolate and decide. Computed live that is five grouped
reads over a year of rows; ``MonthlyFigure`` holds the same counts and sums per month instead.

Who keeps it: the four models whose rows are counted (``Incident``, ``Event``,
``AffectedAsset``, ``bcp.Decision``) mix in ``Figured``. Their ``save()`` compares the counted
fields with what was read from the database (``from_db``) and, when one changed, moves the
row's facts from the old months to the new ones, in the save's transaction. Every service saves
through ``save()``, so a new writer cannot forget the rollup; a ``QuerySet.update()`` of a
counted field must call ``restate_update()`` (tests/dashboard/test_statistics_rollup.py
checks there is none elsewhere). ``bulk_create`` and raw SQL bypass it: the bench data set
rebuilds after loading (``manage.py statistics_rollup``).

A fact is one row's contribution to one measure: (organisation, moment, measure, key, µs).
Months are taken in the zones the organisation's rollup is kept in (``FiguresZone``): an
organisation without one is not kept (the page computes it live), so test data written with
``bulk_create`` is never half counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from contextlib import nullcontext
from datetime import date, datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django.db import models, router, transaction
from django.db.models import F

from incidents.models.enums import EventStatus

# The closed triage items (status past RECEIVED) and the dispositions that say "not an
# incident": what the false-positive ratio divides.
TRIAGED = [status for status in EventStatus.values if status != EventStatus.RECEIVED]
NOT_AN_INCIDENT = "not-an-incident:"

Fact = tuple[int, datetime, str, str, int]
Key = tuple[int, str, date, str, str]
# The measures also kept by day (``DailyFigure``, summed over their keys): what the dashboard's
# 30-day trend reads by day instead of grouping the rows of the window (issue 20: 7 580
# isolations, ~19 ms; 2 500 incidents). Not ``triage``/``closed``: they would add two writes to
# every closed triage item, the intake's hot path.
DAILY = frozenset({"isolate", "category", "decide"})


def micros(end: datetime, start: datetime) -> int:
    delta = end - start
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def month_of(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date().replace(day=1)


def day_of(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def zones_of(organisations: Iterable[int]) -> dict[int, list[str]]:
    from incidents.models import FiguresZone

    found: dict[int, list[str]] = defaultdict(list)
    rows = FiguresZone.objects.filter(organisation_id__in=set(organisations))
    for org, zone in rows.values_list("organisation_id", "zone"):
        found[org].append(zone)
    return found


def _deltas(
    before: list[Fact], after: list[Fact], zones: dict[int, list[str]], *, by_day: bool = False
) -> dict:
    """The cells the facts move: months, or (``by_day``) the days of the ``DAILY`` measures."""
    moved: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for sign, facts in ((-1, before), (1, after)):
        for org, moment, measure, key, us in facts:
            if by_day and measure not in DAILY:
                continue
            for zone in zones.get(org, ()):
                when = day_of(moment, zone) if by_day else month_of(moment, zone)
                cell = moved[(org, zone, when, measure, key)]
                cell[0] += sign
                cell[1] += sign * us
    return {key: cell for key, cell in moved.items() if cell != [0, 0]}


def _add(model: type[models.Model], cell: dict[str, Any], n: int, us: int) -> None:
    """``n``/``us`` added to the figure ``cell`` (inserted first when it has no row yet)."""
    found = model.objects.filter(**cell)  # type: ignore[attr-defined]
    change = {"n": F("n") + n, "total_us": F("total_us") + us}
    if not found.update(**change):
        model.objects.bulk_create([model(**cell)], ignore_conflicts=True)  # type: ignore[attr-defined]
        found.update(**change)


def restate(
    before: list[Fact], after: list[Fact], zones: dict[int, list[str]] | None = None
) -> None:
    """Move a row's facts: take ``before`` out of the months, put ``after`` in.

    The caller is inside the transaction that writes the row. ``UPDATE … SET n = n + d`` holds
    the figure's row lock until commit, so concurrent writers add up; a missing figure is
    inserted first (``ON CONFLICT DO NOTHING``, so two first writers do not collide).
    """
    if before == after:
        return
    if zones is None:
        zones = zones_of(org for org, *_ in (*before, *after))
    if not zones:
        return
    from incidents.models import DailyFigure, MonthlyFigure

    for (org, zone, month, measure, key), (n, us) in _deltas(before, after, zones).items():
        cell = {"organisation_id": org, "zone": zone, "month": month, "measure": measure}
        _add(MonthlyFigure, {**cell, "key": key}, n, us)
    for (org, zone, day, measure, _), (n, us) in _deltas(before, after, zones, by_day=True).items():
        cell = {"organisation_id": org, "zone": zone, "day": day, "measure": measure}
        _add(DailyFigure, cell, n, us)


class Figured:
    """Mixed into a counted model: its ``save()`` keeps the rollup (see the module)."""

    FIGURE_FIELDS: ClassVar[tuple[str, ...]] = ()
    _figured: dict[str, Any] | None

    def figure_facts(self, values: dict[str, Any]) -> list[Fact]:
        raise NotImplementedError

    def figure_organisations(self, values: dict[str, Any]) -> set[int]:
        return {values["organisation_id"]}

    def figure_may_count(self, values: dict[str, Any]) -> bool:
        """False when the row surely has no fact (no query): most writes then cost nothing."""
        return True

    @classmethod
    def from_db(cls, db, field_names, values):  # type: ignore[no-untyped-def]
        obj = super().from_db(db, field_names, values)  # type: ignore[misc]
        obj._figured = obj._figure_values()
        return obj

    def _figure_values(self) -> dict[str, Any] | None:
        loaded = self.__dict__
        if any(name not in loaded for name in self.FIGURE_FIELDS):
            return None  # a deferred field: read from the database when saved
        return {name: loaded[name] for name in self.FIGURE_FIELDS}

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)  # type: ignore[misc]
        self._figured = self._figure_values()

    def _stored(self, using: str) -> dict[str, Any] | None:
        known = getattr(self, "_figured", None)
        if known is not None:
            return known
        manager = type(self)._base_manager  # type: ignore[attr-defined]
        return manager.using(using).filter(pk=self.pk).values(*self.FIGURE_FIELDS).first()

    def _restate(self, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
        if not self.figure_may_count(after) and not (before and self.figure_may_count(before)):
            return
        orgs = self.figure_organisations(after)
        if before is not None:
            orgs |= self.figure_organisations(before)
        zones = zones_of(orgs)
        if not zones:
            return  # no rollup kept for this organisation: the page computes it live
        restate(self.figure_facts(before) if before else [], self.figure_facts(after), zones)

    def save(self, *args: Any, **kwargs: Any) -> None:
        meta = self._meta  # type: ignore[attr-defined]
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        update_fields = kwargs.get("update_fields")
        adding = self._state.adding  # type: ignore[attr-defined]
        if update_fields is not None:
            saved = {meta.get_field(name).attname for name in update_fields}
            if not saved & set(self.FIGURE_FIELDS):
                super().save(*args, **kwargs)  # type: ignore[misc]
                return
        before = None if adding else self._stored(using)
        after = {
            name: getattr(self, name)
            if update_fields is None or before is None or name in saved
            else before[name]
            for name in self.FIGURE_FIELDS
        }
        if before == after:
            super().save(*args, **kwargs)  # type: ignore[misc]
            return
        atomic = (
            nullcontext()
            if transaction.get_connection(using).in_atomic_block
            else transaction.atomic(using=using)
        )
        with atomic:
            super().save(*args, **kwargs)  # type: ignore[misc]
            self._restate(before, after)
        self._figured = after

    def restate_insert(self) -> None:
        """After this row was inserted without ``save()`` (``INSERT … ON CONFLICT DO NOTHING``,
        issue 20): move its facts as ``save()`` of a new row would, in the insert's
        transaction."""
        after = self._figure_values()
        assert after is not None  # an instance built in full, never a deferred read
        self._restate(None, after)
        self._figured = after

    def restate_update(self, **changed: Any) -> None:
        """After ``QuerySet.update(**changed)`` of this row: move its facts as ``save()`` would.

        Call it in the update's transaction, with the row as it was before the update.
        """
        using = router.db_for_write(type(self), instance=self)
        before = self._stored(using)
        assert before is not None
        after = {**before, **{k: v for k, v in changed.items() if k in self.FIGURE_FIELDS}}
        if before != after:
            self._restate(before, after)
        self._figured = after


def _real_incident(obj: models.Model, incident_id: int | None) -> bool:
    """Rows of no incident or of a real one count; an exercise's rows do not."""
    if incident_id is None:
        return True
    cached = obj._state.fields_cache.get("incident")
    if cached is not None and cached.pk == incident_id:
        return not cached.is_exercise
    from incidents.models import Incident

    exercise = Incident.objects.filter(pk=incident_id).values_list("is_exercise", flat=True)
    return not exercise.first()


def incident_facts(values: dict[str, Any]) -> list[Fact]:
    if values["is_exercise"]:
        return []
    org, declared = values["organisation_id"], values["declared_at"]
    facts = [
        (org, declared, "category", values["category"], 0),
        (org, declared, "level", str(values["peak_level"]), 0),
    ]
    if values["closed_at"] is not None:
        closed = values["closed_at"]
        facts.append((org, closed, "resolve", "", micros(closed, declared)))
    return facts


def event_facts(obj: models.Model, values: dict[str, Any]) -> list[Fact]:
    if values["status"] not in TRIAGED or not _real_incident(obj, values["incident_id"]):
        return []
    org, received = values["organisation_id"], values["received_at"]
    facts = [(org, received, "closed", "", 0)]
    if values["disposition"].startswith(NOT_AN_INCIDENT):
        facts.append((org, received, "fp", "", 0))
    if values["triaged_at"] is not None:
        facts.append((org, received, "triage", "", micros(values["triaged_at"], received)))
    return facts


def isolation_facts(obj: models.Model, values: dict[str, Any], org: int) -> list[Fact]:
    observed, isolated = values["infection_observed_at"], values["isolated_at"]
    if observed is None or isolated is None or isolated < observed:
        return []
    if not _real_incident(obj, values["incident_id"]):
        return []
    return [(org, isolated, "isolate", "", micros(isolated, observed))]


def decision_facts(obj: models.Model, values: dict[str, Any]) -> list[Fact]:
    decided = values["decided_at"]
    if decided is None or not _real_incident(obj, values["incident_id"]):
        return []
    org, kind = values["organisation_id"], values["type"]
    facts = [(org, decided, "decide", kind, micros(decided, values["opened_at"]))]
    if values["due_at"] is not None and values["due_at"] < decided:
        facts.append((org, decided, "late", kind, 0))
    return facts


Cells = dict[tuple[date, str, str], tuple[int, int]]
DayCells = dict[tuple[date, str], tuple[int, int]]


def lock_counted_rows(tables: Iterable[str]) -> None:
    """Hold off the writers of the counted rows until the transaction ends (PostgreSQL).

    A writer that started before waits for nothing and is counted by the rebuild's reads (the
    lock waits for its commit); one that starts after waits for the rebuild's commit and then
    finds the zone and adds its own facts. SQLite writes one transaction at a time anyway.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        names = ", ".join(connection.ops.quote_name(table) for table in tables)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {names} IN SHARE MODE")


def stored(organisation_id: int, zone: str) -> Cells:
    from incidents.models import MonthlyFigure

    rows = MonthlyFigure.objects.filter(organisation_id=organisation_id, zone=zone).exclude(
        n=0, total_us=0
    )
    return {
        (month, measure, key): (n, us)
        for month, measure, key, n, us in rows.values_list(
            "month", "measure", "key", "n", "total_us"
        )
    }


def stored_days(organisation_id: int, zone: str) -> DayCells:
    from incidents.models import DailyFigure

    rows = DailyFigure.objects.filter(organisation_id=organisation_id, zone=zone).exclude(
        n=0, total_us=0
    )
    return {
        (day, measure): (n, us)
        for day, measure, n, us in rows.values_list("day", "measure", "n", "total_us")
    }


def replace_days(organisation_id: int, zone: str, cells: DayCells) -> None:
    """The organisation's daily figures in ``zone`` become ``cells`` (under the lock above)."""
    from incidents.models import DailyFigure

    DailyFigure.objects.filter(organisation_id=organisation_id, zone=zone).delete()
    DailyFigure.objects.bulk_create(
        DailyFigure(
            organisation_id=organisation_id, zone=zone, day=day, measure=measure, n=n, total_us=us
        )
        for (day, measure), (n, us) in cells.items()
    )


def replace(organisation_id: int, zone: str, cells: Cells, *, at: datetime) -> None:
    """The organisation's rollup in ``zone`` becomes ``cells`` (call under the lock above)."""
    from incidents.models import FiguresZone, MonthlyFigure

    MonthlyFigure.objects.filter(organisation_id=organisation_id, zone=zone).delete()
    MonthlyFigure.objects.bulk_create(
        MonthlyFigure(
            organisation_id=organisation_id,
            zone=zone,
            month=month,
            measure=measure,
            key=key,
            n=n,
            total_us=us,
        )
        for (month, measure, key), (n, us) in cells.items()
    )
    FiguresZone.objects.update_or_create(
        organisation_id=organisation_id, zone=zone, defaults={"built_at": at}
    )
