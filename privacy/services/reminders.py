"""Alerts when an obligation reaches its soft due and its due: once each, claimed by a
conditional update (two sweeps at once alert once). Real incidents run on the wall clock;
exercise incidents on their exercise's clock (training plays them through ``obligation_alerts``
with the exercise's ``now``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Min, Q, QuerySet

from common import clock, events
from privacy.models import Obligation

BATCH = 500


def due_for_alert(obligations: QuerySet[Obligation], now: datetime) -> QuerySet[Obligation]:
    return obligations.filter(status="OPEN").filter(
        Q(soft_due_at__lte=now, soft_alerted_at__isnull=True)
        | Q(due_at__lte=now, due_alerted_at__isnull=True)
    )


def next_alert_at(obligations: QuerySet[Obligation], until: datetime) -> datetime | None:
    """The earliest moment ≤ ``until`` an open obligation is to be alerted (exercise player)."""
    found = due_for_alert(obligations, until).aggregate(
        soft=Min("soft_due_at", filter=Q(soft_alerted_at__isnull=True, soft_due_at__lte=until)),
        due=Min("due_at", filter=Q(due_alerted_at__isnull=True, due_at__lte=until)),
    )
    times = [at for at in found.values() if at is not None]
    return min(times) if times else None


def obligations_alert(*, now: datetime | None = None) -> int:
    """The periodic sweep over real incidents."""
    now = now or clock.now()
    rows = Obligation.objects.filter(incident__is_exercise=False)
    return obligation_alerts(rows, now=now)


def obligation_alerts(rows: QuerySet[Obligation], *, now: datetime) -> int:
    ids: Iterable[int] = list(due_for_alert(rows, now).values_list("pk", flat=True)[:BATCH])
    return sum(_alert(pk, now) for pk in ids)


@transaction.atomic
def _alert(pk: int, now: datetime) -> int:
    sent = 0
    for which, due_field, mark in (
        ("soft", "soft_due_at", "soft_alerted_at"),
        ("due", "due_at", "due_alerted_at"),
    ):
        claimed = Obligation.objects.filter(
            pk=pk, status="OPEN", **{f"{due_field}__lte": now, f"{mark}__isnull": True}
        ).update(**{mark: now})
        if not claimed:
            continue
        obligation = Obligation.objects.select_related("incident", "organisation").get(pk=pk)
        events.publish(
            "obligation.due",
            organisation_id=obligation.organisation_id,
            incident=obligation.incident,
            obligation=obligation,
            which=which,
            due_at=getattr(obligation, due_field),
        )
        sent += 1
    return sent
