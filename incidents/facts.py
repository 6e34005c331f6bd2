"""The counters of an incident (rule X-4), defined once: rules, decisions, the API, the lists
and the incident room all read them from here."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from common.prepared import Prepared
from incidents.models import AffectedAsset, Incident, MailDelivery, MailMessage
from incidents.models.enums import EFFECTIVE_INFECTION, ContainmentState, InfectionState

# What each counter counts.
ASSET_COUNTERS: dict[str, Q] = {
    # suspected hosts count ("quick decisions on little information").
    "infected_effective_count": Q(infection_state__in=EFFECTIVE_INFECTION),
    "infected_confirmed_count": Q(
        infection_state__in=[InfectionState.CONFIRMED, InfectionState.COMPROMISED]
    ),
    "isolated_count": Q(containment_state=ContainmentState.ISOLATED),
}
MAIL_COUNTERS: dict[str, Q] = {
    "mail_delivered_count": Q(blocked=False),  # a quarantined mail reached no mailbox
    "mail_reported_count": Q(reported_at__isnull=False),
    "mail_executed_count": Q(executed=True),  # the attachment run, or the download followed
}
COUNTERS = (*MAIL_COUNTERS, *ASSET_COUNTERS)


def _aggregate(rows: QuerySet, counters: dict[str, Q]) -> dict[str, int]:
    return rows.aggregate(**{name: Count("pk", filter=q) for name, q in counters.items()})


# Compiled once per thread (issue 20: every fact change counts them for the rules and trend).
# One scalar sub-query per counter, each a COUNT(*) of an index's entries for the incident
# (``affected_infection``, ``affected_isolated_count``): one aggregate with a FILTER per counter
# read every row of the incident, 6–10 ms of PostgreSQL at 10 000 affected assets.
_INFECTION_COUNTS = Prepared(
    lambda incident_id: (
        Incident.objects.filter(pk=incident_id)
        .annotate(
            **{
                name: _subcount(AffectedAsset, "incident", q, counted="*")
                for name, q in ASSET_COUNTERS.items()
            }
        )
        .values_list(*ASSET_COUNTERS)
    )
)


def infection_counts(incident: Incident) -> dict[str, int]:
    """One query: effective (suspected or worse), confirmed and isolated assets."""
    counts = _INFECTION_COUNTS(incident.pk) or [(0,) * len(ASSET_COUNTERS)]
    return dict(zip(ASSET_COUNTERS, counts[0], strict=True))


def mail_counts(
    *, incident: Incident | None = None, message: MailMessage | None = None
) -> dict[str, int]:
    """One aggregate query: the campaign's deliveries, reports and executions, in total (an
    incident) or for one of its messages."""
    rows = MailDelivery.objects.all()
    rows = rows.filter(message=message) if message is not None else rows
    rows = rows.filter(message__incident=incident) if incident is not None else rows
    return _aggregate(rows, MAIL_COUNTERS)


def incident_counters(incident: Incident) -> dict[str, int]:
    """Every X-4 counter of one incident, in one query."""
    return with_counters(Incident.objects.filter(pk=incident.pk)).values(*COUNTERS).get()


def _subcount(model: type[Model], link: str, condition: Q, counted: str = "pk") -> Coalesce:
    """``counted="*"``: ``COUNT(*)``, which an index holding the link and the condition's
    columns answers alone (an index-only scan); ``COUNT(id)`` reads each row for its id."""
    rows = (
        model.objects.filter(condition, **{link: OuterRef("pk")})  # type: ignore[attr-defined]
        .order_by()
        .values(link)
        .annotate(n=Count(counted))
        .values("n")
    )
    return Coalesce(Subquery(rows[:1], output_field=IntegerField()), 0)


def with_counters(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """The incidents with every X-4 counter as an attribute (a list page: one query still),
    filterable like a column (``infected_effective_count__gte=2``)."""
    return incidents.annotate(
        **{
            name: _subcount(MailDelivery, "message__incident", q)
            for name, q in MAIL_COUNTERS.items()
        },
        **{name: _subcount(AffectedAsset, "incident", q) for name, q in ASSET_COUNTERS.items()},
    )


def messages_with_counters(messages: QuerySet[MailMessage]) -> QuerySet[MailMessage]:
    """An incident's mail messages with their own campaign counters."""
    return messages.annotate(
        **{name: _subcount(MailDelivery, "message", q) for name, q in MAIL_COUNTERS.items()}
    )


def counters_of(incident: Incident) -> dict[str, int]:
    """The counters an annotated incident carries, or counted now (once per instance)."""
    if all(hasattr(incident, name) for name in COUNTERS):
        return {name: getattr(incident, name) for name in COUNTERS}
    cached = getattr(incident, "_x4_counters", None)
    if cached is None:
        cached = incident_counters(incident)
        incident._x4_counters = cached  # type: ignore[attr-defined]
    return cached


def incident_snapshot(incident: Incident) -> dict[str, Any]:
    """The facts of rule D-5 that the incident record itself knows."""
    return {
        "level": incident.level,
        "recommended_level": incident.recommended_level,
        **infection_counts(incident),
        "external_comm_status": incident.external_comm_status,
        "leak_status": incident.leak_status,
    }
