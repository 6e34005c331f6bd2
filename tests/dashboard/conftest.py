"""Data for the dashboard's reads: many rows at once (bulk), written straight to the tables.

The dashboard only reads, so these builders skip the services' side effects (timeline,
alerts) except where a test reads them (the timeline chain is appended through its service).
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from bcp.models import BcpActivation, Decision, DecisionAssignment
from incidents.models import AffectedAsset, Asset, Event, Incident, Report, Task
from notifications.models import Alert
from risklevels.models import TrendPoint
from tests.incidents.conftest import file_report, incident  # noqa: F401

_numbers = itertools.count(1)


@pytest.fixture
def as_user(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


class Seed:
    """Bulk rows of one organisation, newest last."""

    def __init__(self, organisation) -> None:
        self.organisation = organisation
        self.now = timezone.now()

    def incidents(self, n: int, **fields) -> list[Incident]:
        rows = []
        for i in range(n):
            seq = next(_numbers)
            values = {
                "title": f"標的型メール {seq}",
                "category": "TARGETED_EMAIL",
                "declared_at": self.now - timedelta(minutes=n - i),
                **fields,
            }
            rows.append(
                Incident(
                    organisation=self.organisation,
                    ref=f"INC-2099-{seq:05d}",
                    year=2099,
                    seq=seq,
                    **values,
                )
            )
        return Incident.objects.bulk_create(rows)

    def reports(self, n: int, *, status: str = "RECEIVED", **fields) -> list[Report]:
        events = Event.objects.bulk_create(
            Event(
                organisation=self.organisation,
                summary=f"不審メール {i}",
                channel="ONE_TAP",
                received_at=self.now - timedelta(minutes=n - i),
                report_count=1,
                status=status,
                disposition="" if status in ("RECEIVED", "PROMOTED") else "not-an-incident:refuted",
                triaged_at=None if status == "RECEIVED" else self.now,
            )
            for i in range(n)
        )
        return Report.objects.bulk_create(
            Report(
                organisation=self.organisation,
                event=event,
                channel="ONE_TAP",
                received_at=event.received_at,
                year=event.received_at.year,
                seq=event.pk,
                subject=f"【至急】請求書 {i}",
                sender="keiri@evil.example",
                **fields,
            )
            for i, event in enumerate(events)
        )

    def decisions(self, incidents, *, assignee=None, rank: int = 1, **fields) -> list[Decision]:
        values = {
            "type": "ACTIVATE_CYBER_BCP",
            "required_role": "DECISION_MAKER",
            "opened_at": self.now - timedelta(minutes=5),
            "due_at": self.now + timedelta(minutes=25),
            **fields,
        }
        decisions = Decision.objects.bulk_create(
            Decision(organisation=self.organisation, incident=i, assignee=assignee, **values)
            for i in incidents
        )
        if assignee is not None:
            DecisionAssignment.objects.bulk_create(
                DecisionAssignment(
                    decision=d,
                    person=assignee,
                    rank=rank,
                    reason="PRIMARY" if rank == 1 else "ABSENT",
                    at=d.opened_at,
                )
                for d in decisions
            )
        return decisions

    def tasks(self, on, n: int, *, due_in: timedelta, **fields) -> list[Task]:
        return Task.objects.bulk_create(
            Task(
                incident=on,
                code=f"L1-{i:02d}",
                level=1,
                title=f"作業 {i}",
                due_at=self.now + due_in + timedelta(seconds=i),
                **fields,
            )
            for i in range(n)
        )

    def alerts(self, n: int, *, flagged: bool = False, on=None) -> list[Alert]:
        return Alert.objects.bulk_create(
            Alert(
                organisation=self.organisation,
                incident=on,
                event="decision.opened",
                needs_ack=True,
                ack_due_at=self.now + timedelta(minutes=10),
                exhausted_at=self.now if flagged else None,
                created_at=self.now - timedelta(seconds=n - i),
            )
            for i in range(n)
        )

    def infected(self, on, n: int, *, observed: datetime, isolated: datetime | None):
        assets = Asset.objects.bulk_create(
            Asset(organisation=self.organisation, asset_tag=f"SEED-{next(_numbers):05d}")
            for _ in range(n)
        )
        return AffectedAsset.objects.bulk_create(
            AffectedAsset(
                incident=on,
                asset=asset,
                infection_state="SUSPECTED",
                infection_observed_at=observed,
                containment_state="ISOLATED" if isolated else "NOT_CONTAINED",
                isolated_at=isolated,
            )
            for asset in assets
        )

    def trend(self, on, n: int) -> list[TrendPoint]:
        return TrendPoint.objects.bulk_create(
            TrendPoint(
                incident=on,
                at=self.now - timedelta(minutes=n - i),
                effective=i + 1,
                confirmed=i // 2,
                isolated=i // 3,
            )
            for i in range(n)
        )

    def bcp(self, on, state: str) -> BcpActivation:
        return BcpActivation.objects.create(incident=on, state=state)


@pytest.fixture
def seed(organisation) -> Seed:
    return Seed(organisation)
