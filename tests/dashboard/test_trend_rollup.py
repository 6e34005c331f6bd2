"""The 30-day trend's incidents, times to isolate and to decide from the daily rollup (issue
20): kept in the writers' transaction with the statistics rollup, the trend it gives equals the
one grouped live."""

from __future__ import annotations

import random
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from bcp.models import Decision
from common.fold import fold
from dashboard import rollup
from dashboard.selectors import trend
from incidents.models import AffectedAsset, Asset, DailyFigure, FiguresZone, Incident

ZONE = "Asia/Tokyo"
JST = zoneinfo.ZoneInfo(ZONE)
NOW = datetime(2026, 12, 15, 12, tzinfo=JST)


def _live(monkeypatch, organisation) -> trend.Trend:
    with monkeypatch.context() as patch:
        patch.setattr(trend, "_zone_kept", lambda org: FiguresZone.objects.filter(pk=-1))
        patch.setattr(trend, "kept", lambda key, build: build())  # compiled anew, not kept
        return trend.trend_30_days(organisation_id=organisation.pk, now=NOW)


def _isolations(organisation, rng: random.Random, n: int) -> list[AffectedAsset]:
    """Isolations through ``save()``, around the UTC/JST day boundary, some in an exercise."""
    real = Incident.objects.create(
        organisation=organisation,
        ref="INC-2026-00001",
        year=2026,
        seq=1,
        title="実",
        declared_at=NOW - timedelta(days=40),
    )
    drill = Incident.objects.create(
        organisation=organisation,
        ref="INC-2026-00002",
        year=2026,
        seq=2,
        title="訓練",
        declared_at=NOW - timedelta(days=40),
        is_exercise=True,
    )
    made = []
    for i in range(n):
        asset = Asset.objects.create(organisation=organisation, asset_tag=f"PC-{i}")
        isolated = NOW - timedelta(days=rng.randrange(0, 33), hours=rng.choice([2, 3, 12, 15]))
        made.append(
            AffectedAsset.objects.create(
                incident=drill if i % 5 == 0 else real,
                asset=asset,
                infection_state="SUSPECTED",
                infection_observed_at=isolated - timedelta(minutes=rng.randrange(-20, 600)),
                isolated_at=isolated,
            )
        )
    return made


def _incidents_and_decisions(organisation, rng: random.Random, n: int) -> None:
    """Incidents declared and decisions decided through ``save()`` in and around the window,
    some in exercises; some decided again on another day or reopened."""
    decisions = []
    for i in range(n):
        declared = NOW - timedelta(days=rng.randrange(0, 33), hours=rng.choice([2, 3, 12, 15]))
        incident = Incident.objects.create(
            organisation=organisation,
            ref=f"INC-2026-{100 + i:05d}",
            year=2026,
            seq=100 + i,
            title="標的型メール",
            declared_at=declared,
            is_exercise=i % 4 == 0,
        )
        decision = Decision.objects.create(
            organisation=organisation,
            incident=incident,
            type="ACTIVATE_CYBER_BCP",
            required_role="DECISION_MAKER",
            opened_at=declared,
        )
        decision.status, decision.outcome, decision.rationale = "DECIDED", "APPROVED", "可"
        decision.decided_at = declared + timedelta(hours=rng.randrange(1, 30))
        decision.save()
        decisions.append(decision)
    for decision in rng.sample(decisions, n // 3):
        decision.decided_at += timedelta(days=1, hours=3)
        decision.save(update_fields=["decided_at"])
    reopened = rng.choice(decisions)
    reopened.decided_at, reopened.status = None, "OPEN"
    reopened.save()


def test_the_trend_from_the_daily_rollup_equals_the_trend_grouped_live(organisation, monkeypatch):
    rollup.rebuild(organisation.pk, ZONE)  # kept from the first row
    rng = random.Random(7)
    made = _isolations(organisation, rng, 30)
    _incidents_and_decisions(organisation, rng, 24)
    for affected in rng.sample(made, 8):  # isolated again on another day
        affected.isolated_at -= timedelta(days=rng.randrange(1, 5), hours=9)
        affected.save(update_fields=["isolated_at"])
    with timezone.override(ZONE):
        kept = trend.trend_30_days(organisation_id=organisation.pk, now=NOW)
        live = _live(monkeypatch, organisation)
        read = fold(trend.trend_parts(organisation_id=organisation.pk, now=NOW))
    assert rollup.differences(organisation.pk, ZONE) == []
    assert kept == live
    metrics = {m.key: m for m in kept.metrics}
    assert all(metrics[key].total > 0 for key in ("isolate", "incidents", "decide"))
    # Read from the rollup, not grouped: the grouped rows are the reports and triage only.
    assert {row["measure"] for row in read["trend_days"]} == {"isolate", "category", "decide"}
    assert {row["measure"] for row in read["trend"]} <= {"reports", "triage"}


def test_an_organisation_whose_rollup_is_not_kept_groups_its_isolations_live(
    organisation, monkeypatch
):
    _isolations(organisation, random.Random(3), 10)
    with timezone.override(ZONE):
        read = fold(trend.trend_parts(organisation_id=organisation.pk, now=NOW))
        shown = trend.trend_30_days(organisation_id=organisation.pk, now=NOW)
    assert not DailyFigure.objects.exists()
    assert read["trend_days"] == []
    assert {m.key: m for m in shown.metrics}["isolate"].total > 0
    assert shown == _live(monkeypatch, organisation)


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "UTC"])
def test_the_rollup_keeps_the_days_of_the_zone_the_trend_is_shown_in(
    organisation, monkeypatch, zone
):
    rollup.rebuild(organisation.pk, zone)
    _isolations(organisation, random.Random(11), 12)
    _incidents_and_decisions(organisation, random.Random(12), 10)
    with timezone.override(zone):
        kept = trend.trend_30_days(organisation_id=organisation.pk, now=NOW)
        assert kept == _live(monkeypatch, organisation)
    assert rollup.differences(organisation.pk, zone) == []


def test_a_rollup_kept_in_another_zone_leaves_the_trend_grouped_live(organisation, monkeypatch):
    rollup.rebuild(organisation.pk, "UTC")
    _isolations(organisation, random.Random(5), 12)
    with timezone.override(ZONE):
        read = fold(trend.trend_parts(organisation_id=organisation.pk, now=NOW))
        shown = trend.trend_30_days(organisation_id=organisation.pk, now=NOW)
        assert shown == _live(monkeypatch, organisation)
    assert read["trend_days"] == []
    assert {m.key: m for m in shown.metrics}["isolate"].total > 0
