"""The statistics rollup (issue 20): kept in the writers' transaction, always equal to the live
computation — after any sequence of writes, through the models and through the services."""

from __future__ import annotations

import ast
import itertools
import random
import zoneinfo
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from bcp.models import Decision
from bcp.services import decisions
from bcp.services.sweep import decisions_sweep
from dashboard import rollup
from dashboard.selectors import statistics as stats
from incidents.models import AffectedAsset, Asset, Event, Incident, MonthlyFigure
from incidents.services import findings, triage

JST = zoneinfo.ZoneInfo("Asia/Tokyo")
ZONE = "Asia/Tokyo"
START = datetime(2026, 1, 1, tzinfo=JST)
_numbers = itertools.count(1)
CATEGORIES = ["TARGETED_EMAIL", "RANSOMWARE", "UNAUTHORISED_ACCESS"]
CLOSED = [("PROMOTED", ""), ("NOT_INCIDENT", "not-an-incident:refuted"), ("DUPLICATE", "duplicate")]


def _exact(organisation) -> None:
    assert rollup.differences(organisation.pk, ZONE) == []


def _both(organisation, monkeypatch, period: int = 12):
    """The page's figures from the rollup and from the live computation."""
    now = datetime(2026, 12, 15, 12, tzinfo=JST)
    kept = stats.statistics(organisation_id=organisation.pk, now=now, period=period)
    with monkeypatch.context() as patch:
        patch.setattr(stats, "_kept", lambda org, zone: False)
        live = stats.statistics(organisation_id=organisation.pk, now=now, period=period)
    return kept, live


def _moment(rng: random.Random) -> datetime:
    # Around month ends and the UTC/JST day boundary, so months are taken in the zone.
    return START + timedelta(days=rng.randrange(0, 330), hours=rng.choice([0, 1, 8, 9, 15, 23]))


class Writer:
    """Random writes through the models' save(), as the services make them."""

    def __init__(self, organisation, rng: random.Random) -> None:
        self.org, self.rng = organisation, rng
        self.incidents: list[int] = []
        self.events: list[int] = []
        self.affected: list[int] = []
        self.decisions: list[int] = []

    def declare(self) -> None:
        seq = next(_numbers)
        incident = Incident.objects.create(
            organisation=self.org,
            ref=f"INC-2098-{seq:05d}",
            year=2098,
            seq=seq,
            title="標的型メール",
            category=self.rng.choice(CATEGORIES),
            peak_level=self.rng.choice([1, 2, 3]),
            declared_at=_moment(self.rng),
            is_exercise=self.rng.random() < 0.2,
        )
        self.incidents.append(incident.pk)

    def close(self) -> None:
        incident = Incident.objects.select_for_update().get(pk=self.rng.choice(self.incidents))
        incident.closed_at = incident.declared_at + timedelta(hours=self.rng.randrange(1, 900))
        incident.status = "CLOSED"
        incident.save(update_fields=["closed_at", "status", "updated_at"])

    def reopen(self) -> None:
        incident = Incident.objects.get(pk=self.rng.choice(self.incidents))
        incident.closed_at = None
        incident.save()

    def reclassify(self) -> None:
        incident = Incident.objects.only("pk", "category").get(pk=self.rng.choice(self.incidents))
        incident.category = self.rng.choice(CATEGORIES)  # deferred fields: read back at save
        incident.save(update_fields=["category"])

    def raise_level(self) -> None:
        incident = Incident.objects.get(pk=self.rng.choice(self.incidents))
        incident.refresh_from_db()
        incident.peak_level = min(3, incident.peak_level + 1)
        incident.title = "更新"
        incident.save()

    def report(self) -> None:
        event = Event.objects.create(
            organisation=self.org,
            summary="不審メール",
            channel="ONE_TAP",
            received_at=_moment(self.rng),
        )
        self.events.append(event.pk)

    def triage(self) -> None:
        event = Event.objects.get(pk=self.rng.choice(self.events))
        event.status, event.disposition = self.rng.choice(CLOSED)
        event.triaged_at = event.received_at + timedelta(minutes=self.rng.randrange(-5, 600))
        if self.incidents and self.rng.random() < 0.5:
            event.incident_id = self.rng.choice(self.incidents)  # perhaps an exercise's
        event.save()

    def infect(self) -> None:
        asset = Asset.objects.create(organisation=self.org, asset_tag=f"R-{next(_numbers)}")
        observed = _moment(self.rng)
        affected = AffectedAsset.objects.create(
            incident_id=self.rng.choice(self.incidents),
            asset=asset,
            infection_state="SUSPECTED",
            infection_observed_at=observed if self.rng.random() < 0.8 else None,
        )
        self.affected.append(affected.pk)

    def isolate(self) -> None:
        affected = AffectedAsset.objects.get(pk=self.rng.choice(self.affected))
        base = affected.infection_observed_at or _moment(self.rng)
        affected.isolated_at = base + timedelta(minutes=self.rng.randrange(-30, 300))
        affected.save(update_fields=["isolated_at"])

    def observe_late(self) -> None:
        """A QuerySet.update() of a counted field, told to the rollup as the services do."""
        affected = AffectedAsset.objects.get(pk=self.rng.choice(self.affected))
        observed = _moment(self.rng)
        AffectedAsset.objects.filter(pk=affected.pk).update(infection_observed_at=observed)
        affected.restate_update(infection_observed_at=observed)

    def open_decision(self) -> None:
        opened = _moment(self.rng)
        decision = Decision.objects.create(
            organisation=self.org,
            incident_id=self.rng.choice(self.incidents),
            type=self.rng.choice(["ACTIVATE_CYBER_BCP", "ESCALATE_LEVEL"]),
            required_role="DECISION_MAKER",
            opened_at=opened,
            due_at=opened + timedelta(minutes=30),
        )
        self.decisions.append(decision.pk)

    def decide(self) -> None:
        decision = Decision.objects.get(pk=self.rng.choice(self.decisions))
        decision.status, decision.outcome, decision.rationale = "DECIDED", "APPROVED", "可"
        decision.decided_at = decision.opened_at + timedelta(minutes=self.rng.randrange(1, 90))
        decision.save()

    def undecide(self) -> None:
        decision = Decision.objects.get(pk=self.rng.choice(self.decisions))
        Decision.objects.filter(pk=decision.pk).update(decided_at=None, status="OPEN", outcome="")
        decision.restate_update(decided_at=None)

    def step(self) -> None:
        needs = {
            "close": self.incidents,
            "reopen": self.incidents,
            "reclassify": self.incidents,
            "raise_level": self.incidents,
            "triage": self.events,
            "infect": self.incidents,
            "isolate": self.affected,
            "observe_late": self.affected,
            "open_decision": self.incidents,
            "decide": self.decisions,
            "undecide": self.decisions,
        }
        names = ["declare", "report", *(name for name, rows in needs.items() if rows)]
        getattr(self, self.rng.choice(names))()


@pytest.mark.parametrize("seed", range(4))
def test_the_rollup_equals_the_live_figures_after_any_sequence_of_writes(
    organisation, monkeypatch, seed
):
    rollup.rebuild(organisation.pk, ZONE)  # an organisation kept from its first row
    writer = Writer(organisation, random.Random(seed))
    for number in range(60):
        writer.step()
        if number % 20 == 19:
            _exact(organisation)
    _exact(organisation)
    kept, live = _both(organisation, monkeypatch)
    assert kept == live
    assert kept.total.incidents > 0


def test_the_services_keep_the_rollup_exact(
    organisation, monkeypatch, file_report, isms_office, reporter, decision_maker
):
    rollup.rebuild(organisation.pk, ZONE)
    incident = triage.event_promote(
        event=file_report(actor=reporter, asset_label="PC-12").event, actor=isms_office
    )
    spam = file_report(
        actor=reporter, subject="別件", sender="x@other.example", url="https://other.example/"
    ).event
    triage.event_close(
        event=spam, actor=isms_office, status="NOT_INCIDENT", disposition="not-an-incident:refuted"
    )
    decision = decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
    decisions.decision_decide(
        decision=decision, actor=decision_maker, outcome="APPROVED", rationale="可"
    )
    _exact(organisation)
    kept = rollup.live_cells(organisation.pk, ZONE)
    measures = {measure for _, measure, _ in kept}
    assert {"category", "level", "closed", "fp", "triage", "decide"} <= measures
    figures, live = _both(organisation, monkeypatch)
    assert figures == live


def test_a_reopened_deferred_decision_leaves_the_decision_times(
    organisation, incident, decision_maker
):
    rollup.rebuild(organisation.pk, ZONE)
    decision = decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
    later = decision.opened_at + timedelta(hours=1)
    decisions.decision_decide(
        decision=decision,
        actor=decision_maker,
        outcome="DEFERRED",
        rationale="情報不足",
        redecide_by=later,
    )
    assert ("decide", "ESTABLISH_IRT") in {
        (m, k) for _, m, k in rollup.live_cells(organisation.pk, ZONE)
    }
    with time_machine.travel(later + timedelta(seconds=1), tick=False):
        assert decisions_sweep().reopened == 1
    _exact(organisation)


def test_an_infection_observed_after_the_isolation_counts_its_time_to_isolate(
    organisation, incident
):
    rollup.rebuild(organisation.pk, ZONE)
    asset = Asset.objects.create(organisation=organisation, asset_tag="PC-99")
    isolated = incident.declared_at + timedelta(hours=2)
    affected = AffectedAsset.objects.create(
        incident=incident, asset=asset, isolated_at=isolated, containment_state="ISOLATED"
    )
    before = {"infection_state": affected.infection_state}
    affected.infection_state = "SUSPECTED"
    affected.save(update_fields=["infection_state"])
    findings.after_asset_change(
        affected=affected,
        before=before,
        actor=None,
        observed_at=isolated - timedelta(minutes=30),
    )
    cells = rollup.live_cells(organisation.pk, ZONE)
    assert sum(us for (_, m, _), (n, us) in cells.items() if m == "isolate") == 1_800_000_000
    _exact(organisation)


def test_the_page_reads_the_rollup_once_its_organisation_is_kept(
    as_user, isms_office, organisation, seed, django_assert_num_queries
):
    incidents = seed.incidents(30, declared_at=datetime(2026, 6, 1, 9, tzinfo=JST))
    seed.decisions(
        incidents,
        status="DECIDED",
        outcome="APPROVED",
        rationale="可",
        decided_at=datetime(2026, 6, 1, 10, tzinfo=JST),
    )
    rollup.rebuild(organisation.pk, ZONE)
    client = as_user(isms_office)
    now = datetime(2026, 6, 15, 12, tzinfo=JST)
    with time_machine.travel(now, tick=False):
        client.get("/statistics/")
        with django_assert_num_queries(QUERIES_FROM_ROLLUP):
            response = client.get("/statistics/")
    assert response.context["stats"].total.incidents == 30
    assert response.context["stats"].decisions[0].timed.count == 30


# session, the user (with organisation, roles and the bell); is the rollup kept; its rows.
QUERIES_FROM_ROLLUP = 4


def test_an_organisation_without_a_rollup_is_computed_live_and_kept_by_nobody(organisation, seed):
    seed.incidents(3)
    Incident.objects.create(
        organisation=organisation,
        ref="INC-2097-00001",
        year=2097,
        seq=1,
        title="t",
        category="RANSOMWARE",
        declared_at=START,
    )
    assert not MonthlyFigure.objects.exists()


def test_the_check_names_a_figure_written_around_the_rollup_and_the_rebuild_mends_it(
    organisation, seed, capsys
):
    rollup.rebuild(organisation.pk, ZONE)
    seed.incidents(2, declared_at=datetime(2026, 3, 31, 23, 30, tzinfo=JST))  # bulk: bypasses
    with pytest.raises(CommandError):
        call_command("statistics_rollup", "--check")
    assert "2026-03 category TARGETED_EMAIL: rollup None, live (2, 0)" in capsys.readouterr().out
    call_command("statistics_rollup")
    call_command("statistics_rollup", "--check")
    assert "exact" in capsys.readouterr().out


def test_migrate_builds_the_rollup_of_an_organisation_without_one(organisation, seed):
    seed.incidents(2, declared_at=datetime(2026, 3, 1, 9, tzinfo=JST))
    call_command("migrate", "--noinput", verbosity=0)
    _exact(organisation)
    assert MonthlyFigure.objects.filter(organisation=organisation, measure="category").get().n == 2


COUNTED_FIELDS = {
    "declared_at",
    "closed_at",
    "peak_level",
    "is_exercise",
    "received_at",
    "triaged_at",
    "disposition",
    "infection_observed_at",
    "isolated_at",
    "opened_at",
    "decided_at",
}
ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "incidents",
    "bcp",
    "risklevels",
    "isms",
    "comms",
    "privacy",
    "notifications",
    "training",
    "vulns",
    "sharing",
    "records",
    "demo",
    "dashboard",
    "accounts",
    "common",
]


def test_every_queryset_update_of_a_counted_field_tells_the_rollup():
    untold = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef):
                    continue
                calls = [n for n in ast.walk(function) if isinstance(n, ast.Call)]
                names = {c.func.attr for c in calls if isinstance(c.func, ast.Attribute)}
                for call in calls:
                    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "update"):
                        continue
                    written = {k.arg for k in call.keywords} & COUNTED_FIELDS
                    if written and "restate_update" not in names:
                        untold.append(f"{path.relative_to(ROOT)}:{call.lineno} {sorted(written)}")
    assert untold == []


def test_a_triage_item_linked_to_an_exercise_incident_is_not_counted(organisation, monkeypatch):
    rollup.rebuild(organisation.pk, ZONE)
    drill = Incident.objects.create(
        organisation=organisation,
        ref="EX-2026-0001",
        year=2026,
        seq=1,
        title="訓練",
        category="RANSOMWARE",
        declared_at=START,
        is_exercise=True,
    )
    event = Event.objects.create(
        organisation=organisation, summary="訓練の報告", channel="ONE_TAP", received_at=START
    )
    event.status, event.disposition, event.incident = "PROMOTED", "", drill
    event.triaged_at = START + timedelta(hours=1)
    event.save()
    assert not MonthlyFigure.objects.filter(organisation=organisation).exclude(n=0).exists()
    _exact(organisation)
