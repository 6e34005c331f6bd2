"""The live part of the incident room: what changes while people work on an incident.

The browser polls it; ``room_version`` is one cheap query, and an unchanged version answers
204 without rendering. Every change to an incident writes a timeline entry in its own
transaction (incidents, risklevels, bcp services), so the last entry's number, with the level
and status, tells whether anything moved.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.db.models import Max, QuerySet
from django.utils.translation import gettext_lazy as _

from bcp import selectors as bcp_selectors
from bcp.enums import DecisionStatus
from bcp.models import BcpActivation, Decision
from common.fold import PreparedFold, parse_time
from dashboard import keyset
from dashboard.charts import LineChart, step_chart
from dashboard.keyset import Ordering
from dashboard.selectors.tiles import with_assignee_rank
from incidents import selectors as incident_selectors
from incidents.facts import COUNTERS, with_counters
from incidents.models import Incident, MailDelivery, TimelineEntry
from incidents.services.timeline import ChainStatus, timeline_verify
from risklevels import selectors as risk_selectors
from risklevels.models import TrendPoint

TREND_POINTS = 200  # the chart shows the latest points; the table below it the same ones
TREND_COLUMNS = ("at", "effective", "confirmed", "isolated")
RECENT_ENTRIES = 5
# The incident page lists the newest entries; the timeline page pages through all of them
# by keyset on (seq, id) over the timeline_unique_seq index (incident, seq).
TIMELINE_SHOWN = 50
TIMELINE = Ordering("seq")


CHAIN_CHECK_SECONDS = 60


def _head(incident: Incident) -> QuerySet[TimelineEntry]:
    return incident.timeline.order_by("-seq").values("seq", "hash")[:1]


def room_version(incident: Incident) -> str:
    return _version(incident, list(_head(incident)))


def _version(incident: Incident, head: list[dict[str, Any]]) -> str:
    seq, digest = (head[0]["seq"], head[0]["hash"]) if head else (0, "")
    return f"{seq}.{digest[:12]}.{incident.level}.{incident.recommended_level}.{incident.status}"


def chain_status(incident: Incident, version: str) -> ChainStatus:
    """``timeline_verify`` (the keyed chain, then the head of the organisation's latest
    checkpoint), re-run whenever the chain grows and at least once a minute.

    Walking 2 000 entries costs about 30 ms; a page polled every 5 s need not pay it each time.
    An entry changed behind the append-only trigger, or a deleted last entry, shows within
    ``CHAIN_CHECK_SECONDS``; the ``verify_timeline`` command checks every incident without a cache.
    """
    key = f"dashboard:chain:{incident.pk}:{version}"
    cached = cache.get(key)
    if cached is not None:
        return ChainStatus(**cached)
    status = timeline_verify(incident=incident)
    cache.set(key, asdict(status), CHAIN_CHECK_SECONDS)
    return status


@dataclass(frozen=True)
class Room:
    version: str
    incident: Incident
    summary: dict[str, Any]
    counts: dict[str, int]
    # The trend as the statement gives it (times as ISO text), oldest first: the points are
    # built only when the trend's markup is not kept (``dashboard_ui.room_trend``).
    trend_rows: list[dict[str, Any]]
    decisions: list[Decision]
    bcp: BcpActivation
    chain: ChainStatus
    recent: list[TimelineEntry]
    at: datetime

    def _points(self, rows: list[dict[str, Any]]) -> list[TrendPoint]:
        return [
            TrendPoint(**{**row, "at": parse_time(row["at"])}, incident_id=self.incident.pk)
            for row in rows
        ]

    @cached_property
    def trend(self) -> list[TrendPoint]:
        return self._points(self.trend_rows)

    @property
    def latest_points(self) -> list[TrendPoint]:
        """The escalation panel's newest points, newest first (the same read)."""
        return self._points(self.trend_rows[-risk_selectors.TREND_SHOWN :][::-1])

    @cached_property
    def chart(self) -> LineChart | None:
        return trend_chart(self.trend)

    @property
    def trend_key(self) -> tuple[tuple[Any, ...], ...]:
        """All the trend's chart and table show: equal keys, equal markup (with the language
        and time zone)."""
        return tuple(tuple(row.values()) for row in self.trend_rows)


# The chart's series: the counts of rule X-4, told apart by dash and marker as well as colour.
SERIES = (
    ("effective", _("Infected")),
    ("confirmed", _("Confirmed")),
    ("isolated", _("Isolated")),
)


def trend_chart(points: list[TrendPoint]) -> LineChart | None:
    return step_chart(
        [p.at for p in points],
        [(key, str(label), [getattr(p, key) for p in points]) for key, label in SERIES],
    )


def _room_parts(incident_id: int) -> dict[str, QuerySet[Any]]:
    incident = Incident(pk=incident_id)
    decisions = with_assignee_rank(
        bcp_selectors.decisions_of_incident(incident).filter(status=DecisionStatus.OPEN)
    ).order_by("-overdue", "due_at", "opened_at", "id")
    return {
        "trend": risk_selectors.trend_of(incident).reverse().values(*TREND_COLUMNS)[:TREND_POINTS],
        "counters": with_counters(Incident.objects.filter(pk=incident_id)).values(*COUNTERS),
        "decisions": decisions,
        "recent": incident.timeline.order_by("-seq")[:RECENT_ENTRIES],
        "head": _head(incident),
    }


# The parts depend on the incident's id alone: their statement is compiled once per thread.
_ROOM_PARTS = PreparedFold(_room_parts)


def incident_room(*, incident: Incident, now: datetime, version: str = "") -> Room:
    """Five queries whatever the size of the incident: the chain's head, the trend points, the
    counters, the open decisions and the newest entries in one (``fold``), the escalation summary
    (3), the BCP activation; the chain check reads every entry in one streamed query, or none
    when its result for this head is cached."""
    rows = _ROOM_PARTS(incident.pk)
    version = version or _version(incident, rows["head"])
    return Room(
        version=version,
        incident=incident,
        summary=risk_selectors.escalation_summary(incident),
        counts=rows["counters"][0],
        trend_rows=rows["trend"][::-1],
        decisions=rows["decisions"],
        bcp=bcp_selectors.bcp_activation_of(incident),
        chain=chain_status(incident, version),
        recent=rows["recent"],
        at=now,
    )


@dataclass(frozen=True)
class TimelinePage:
    """One page of the incident page's timeline section, newest first, and the total."""

    page: keyset.Page[TimelineEntry]
    total: int


def timeline_page(incident: Incident, cursor: str = "") -> TimelinePage:
    """Two queries whatever the page: the total (seq has no gaps) and one keyset page of
    ``TIMELINE_SHOWN`` entries after ``cursor`` (the incident page's ``?tl=``)."""
    total = TimelineEntry.objects.filter(incident=incident).aggregate(seq=Max("seq"))["seq"]
    page = keyset.paginate(
        timeline_rows(incident), ordering=TIMELINE, cursor=cursor, size=TIMELINE_SHOWN
    )
    return TimelinePage(page, total or 0)


def timeline_rows(incident: Incident) -> QuerySet[TimelineEntry]:
    return TimelineEntry.objects.filter(incident=incident)


# The deliveries page (the incident page lists the first ones): oldest first, as recorded.
DELIVERIES = Ordering("id", descending=False)
DELIVERIES_PAGE = 100


def delivery_rows(incident: Incident) -> QuerySet[MailDelivery]:
    return incident_selectors.deliveries_of(incident)


def several_messages(incident: Incident) -> bool:
    """Whether the campaign has more than one email (the deliveries then name theirs)."""
    return incident.mail_messages.all()[:2].count() > 1
