"""Correlation (issue 22): where else does a value appear — in which incidents, in which reports.

A selector: reads only, scoped to what the user may see. One query answers a whole page (the
incidents' indicators and the reports' keys in one UNION), however many values it holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, CharField, IntegerField, Value
from django.urls import reverse

from accounts.models import User
from incidents import normalize, selectors
from incidents.models import Event, Incident, Indicator, Report, ReportKey

# Kinds a report is flagged for at triage when an incident already names them.
FLAG_KINDS = ("SENDER_ADDRESS", "URL", "FILE_SHA256", "MESSAGE_ID", "DOMAIN")
# More rows than a page can show are not read (the panel says "and more").
ROW_LIMIT = 500


@dataclass(frozen=True)
class Seen:
    """One place a value was seen: an incident (INC-…) or a report (R-…)."""

    label: str
    url: str
    is_incident: bool


@dataclass
class SeenKey:
    """A value of the page and the places it was seen elsewhere."""

    kind: str
    value: str
    normalized: str
    places: list[Seen]

    @property
    def incidents(self) -> list[Seen]:
        return [p for p in self.places if p.is_incident]


def _digests(kind: str, normalized: str) -> list[str]:
    return [normalize.digest(k, normalized) for k in normalize.SAME_THING.get(kind, (kind,))]


def _rows(
    user: User,
    digests: list[str],
    *,
    exclude_incident_id: int | None,
    exclude_event_id: int | None,
    exercise: bool,
) -> list[tuple[str, int, str, Any, Any, Any]]:
    incidents = selectors.incidents_visible_to(user).filter(is_exercise=exercise).values("pk")
    found = Indicator.objects.filter(digest__in=digests, incident__in=incidents)
    if exclude_incident_id is not None:
        found = found.exclude(incident_id=exclude_incident_id)
    reports = ReportKey.objects.filter(
        digest__in=digests, report__in=selectors.reports_visible_to(user).values("pk")
    ).exclude(report__incident__is_exercise=not exercise)
    if exclude_incident_id is not None:
        reports = reports.exclude(report__incident_id=exclude_incident_id)
    if exclude_event_id is not None:
        reports = reports.exclude(report__event_id=exclude_event_id)
    # A report is named by its stored number (year, sequence, exercise or not; issue 18).
    union = found.values_list(
        "digest",
        "incident_id",
        "incident__ref",
        Value(None, output_field=IntegerField()),
        Value(None, output_field=IntegerField()),
        Value(False, output_field=BooleanField()),
    ).union(
        reports.values_list(
            "digest",
            "report_id",
            Value("", output_field=CharField()),
            "report__year",
            "report__seq",
            "report__is_exercise",
        ),
        all=True,
    )
    return list(union[:ROW_LIMIT])


def seen_elsewhere(
    user: User,
    values: Iterable[tuple[str, str, str]],
    *,
    exclude_incident_id: int | None = None,
    exclude_event_id: int | None = None,
    exercise: bool = False,
) -> list[SeenKey]:
    """For each (kind, shown value, normalised value): the incidents and reports, other than
    the excluded ones, that hold the same value. Keys seen nowhere else are left out."""
    keys: dict[tuple[str, str], SeenKey] = {}
    by_digest: dict[str, list[SeenKey]] = {}
    for kind, shown, normalized in values:
        if not normalized or (kind, normalized) in keys:
            continue
        key = keys[(kind, normalized)] = SeenKey(kind, shown, normalized, [])
        for digest in _digests(kind, normalized):
            by_digest.setdefault(digest, []).append(key)
    if not by_digest:
        return []
    rows = _rows(
        user,
        sorted(by_digest),
        exclude_incident_id=exclude_incident_id,
        exclude_event_id=exclude_event_id,
        exercise=exercise,
    )
    for digest, pk, ref, *number in sorted(rows, key=_order):
        place = _place(pk, ref, *number)
        for key in by_digest.get(digest, []):
            if place not in key.places:
                key.places.append(place)
    return [k for k in keys.values() if k.places]


def _order(row: tuple[str, int, str, Any, Any, Any]) -> tuple[int, int]:
    # Incidents first, then reports; each oldest first.
    return (0 if row[2] else 1, row[1])


def _place(pk: int, ref: str, year: Any, seq: Any, is_exercise: Any) -> Seen:
    if ref:
        return Seen(ref, reverse("incidents:incident_detail", args=[ref]), True)
    number = Report(pk=pk, year=year, seq=seq, is_exercise=bool(is_exercise)).number
    return Seen(number, reverse("incidents:report_detail", args=[pk]), False)


def annotate_indicators(
    user: User, incident: Incident, indicators: list[Indicator]
) -> list[Indicator]:
    """Set ``seen_in`` (a list of Seen) on each indicator of one incident: one query."""
    if not indicators:
        return indicators
    found = seen_elsewhere(
        user,
        ((i.kind, i.value, i.normalized) for i in indicators),
        exclude_incident_id=incident.pk,
        exercise=incident.is_exercise,
    )
    by_key = {(k.kind, k.normalized): k.places for k in found}
    for indicator in indicators:
        indicator.seen_in = by_key.get((indicator.kind, indicator.normalized), [])  # type: ignore[attr-defined]
    return indicators


def seen_for_reports(user: User, reports: Iterable[Report], *, event_id: int) -> list[SeenKey]:
    """What the reports of a triage item name that incidents or other reports also name."""
    values = []
    for report in reports:
        for key in report.keys.all():
            values.append((key.kind, key.value, normalize.normalise(key.kind, key.value)))
    return seen_elsewhere(user, values, exclude_event_id=event_id)


def known_indicators(seen: list[SeenKey]) -> list[SeenKey]:
    """The keys of a report that an incident already holds as an indicator: triage's flag."""
    return [k for k in seen if k.kind in FLAG_KINDS and k.incidents]


def events_with_known_indicators(events: list[Event]) -> set[int]:
    """The triage items (of one page) whose reports name an indicator of a real incident: one
    query, for the queue's flag."""
    ids = [event.pk for event in events]
    if not ids:
        return set()
    known = Indicator.objects.filter(
        organisation_id=events[0].organisation_id, incident__is_exercise=False
    ).values("digest")
    rows = ReportKey.objects.filter(event_id__in=ids, kind__in=FLAG_KINDS, digest__in=known)
    return set(rows.values_list("event_id", flat=True).distinct())
