"""fold: several reads in one statement give what each read alone gives (issue 20)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import selectors as accounts_selectors
from bcp.models import Decision
from common.fold import KeptImpure, fold, kept
from dashboard.selectors import tiles, trend


def _fields(decision):
    return (
        decision.pk,
        decision.type,
        decision.due_at,
        decision.opened_at,
        decision.incident.ref,
        decision.incident.declared_at,
        decision.assignee.username,
        decision.assignee_rank,
        decision.assignee_reason,
    )


def test_fold_builds_the_model_instances_the_query_set_gives_alone_in_one_query(
    isms_office, deputy, seed
):
    incidents = seed.incidents(3, status="CONTAINING", level=2)
    seed.decisions(incidents, assignee=deputy, rank=2)
    alone = list(tiles.decisions_waiting_rows(isms_office))
    with CaptureQueriesContext(connection) as queries:
        rows = fold(
            {
                "rows": tiles.decisions_waiting_rows(isms_office),
                "counts": tiles.decisions_waiting_counts(isms_office, seed.now),
            }
        )
        # The related rows came with them: reading them asks nothing more.
        folded = [_fields(d) for d in rows["rows"]]
    assert len(queries) == 1
    assert folded == [_fields(d) for d in alone]
    assert len(folded) == 3
    assert rows["counts"] == [{"open": 3, "past_due": 0}]


def test_fold_gives_no_rows_for_a_part_that_can_match_nothing_without_asking(isms_office):
    with CaptureQueriesContext(connection) as queries:
        rows = fold({"none": Decision.objects.none(), "empty": Decision.objects.filter(pk__in=[])})
    assert rows == {"none": [], "empty": []}
    assert len(queries) <= 1


def test_fold_reads_days_and_durations_back_as_the_query_alone_gives_them(isms_office, seed):
    incidents = seed.incidents(2, status="CONTAINING", level=2)
    seed.decisions(
        incidents,
        status="DECIDED",
        outcome="APPROVED",
        rationale="被害拡大を防ぐため",
        decided_at=seed.now,
        opened_at=seed.now - timedelta(hours=2, minutes=30),
    )
    org = isms_office.organisation_id
    rows = fold({"trend": trend.trend_rows(organisation_id=org, now=seed.now)})["trend"]
    folded = trend.trend_30_days(organisation_id=org, now=seed.now, rows=rows)
    decide = {m.key: m for m in folded.metrics}["decide"]
    assert (decide.total, decide.average) == (2, timedelta(hours=2, minutes=30))
    assert folded.days[-1].decide == timedelta(hours=2, minutes=30)
    counted = Decision.objects.filter(incident__in=incidents).annotate(n=Count("assignments"))
    assert [d.n for d in fold({"decisions": counted})["decisions"]] == [0, 0]


def _incident_parts(incident_id):
    from incidents.models import Incident
    from incidents.selectors import affected_assets_of, tasks_of

    incident = Incident(pk=incident_id)
    return {
        "assets": affected_assets_of(incident),
        "tasks": tasks_of(incident),
        "state": Incident.objects.filter(pk=incident_id).values("ref", "status"),
    }


def _values(instance):
    return {k: v for k, v in vars(instance).items() if k != "_state"}


def test_a_prepared_fold_gives_what_fold_gives_for_each_incident_compiled_once(seed, handler):
    from common.fold import PreparedFold
    from incidents.services import tasks

    first, second = seed.incidents(2, status="CONTAINING", level=2)
    seed.infected(first, 2, observed=seed.now - timedelta(hours=1), isolated=seed.now)
    seed.infected(second, 3, observed=seed.now - timedelta(hours=1), isolated=seed.now)
    tasks.task_create(incident=second, actor=handler, title="作業")
    built = []
    prepared = PreparedFold(lambda pk: built.append(pk) or _incident_parts(pk))
    for incident in (first, second, first):
        with CaptureQueriesContext(connection) as queries:
            rows = prepared(incident.pk)
        assert len(queries) == 1
        alone = fold(_incident_parts(incident.pk))
        assert rows["state"] == alone["state"] == [{"ref": incident.ref, "status": "CONTAINING"}]
        for name in ("assets", "tasks"):
            assert [_values(r) for r in rows[name]] == [_values(r) for r in alone[name]]
            assert all(r.incident_id == incident.pk for r in rows[name])
        assert len(rows["assets"]) == (2 if incident == first else 3)
        assert rows["assets"][0].asset.asset_tag  # the select_related asset, from the same row
    assert len(built) == 1  # compiled once, from markers; each call runs it with its own id


def test_a_prepared_fold_refuses_a_part_that_would_keep_the_moment(seed):
    import pytest

    from common.fold import PreparedFold
    from incidents.models import Incident

    prepared = PreparedFold(
        lambda pk: {"late": Incident.objects.filter(pk=pk, declared_at__lt=seed.now)}
    )
    with pytest.raises(TypeError, match="date or time"):
        prepared(1)


def test_kept_parts_are_built_once_per_key_and_read_as_the_query_sets_alone(isms_office, seed):
    incidents = seed.incidents(2, status="CONTAINING", level=2)
    seed.decisions(incidents, assignee=isms_office, rank=1)
    built = []

    def build():
        built.append(1)
        return {"rows": tiles.decisions_waiting_rows(isms_office)}

    accounts_selectors.role_assignments_of(isms_office)  # as the signed-in user has them
    key = ("test", isms_office.pk)
    first, again = kept(key, build), kept(key, build)
    assert len(built) == 1
    assert [_fields(d) for d in fold(again)["rows"]] == [
        _fields(d) for d in tiles.decisions_waiting_rows(isms_office)
    ]
    kept(("test", isms_office.pk, "other"), build)
    assert len(built) == 2
    assert first is again


def test_the_home_trend_moves_its_window_at_the_organisation_s_midnight(isms_office, seed):
    """The trend's parts are compiled once per day: the next day's page reads the next window."""
    org = isms_office.organisation_id
    incident = seed.incidents(1, status="CONTAINING", level=2)[0]
    seed.decisions(
        [incident],
        status="DECIDED",
        outcome="APPROVED",
        rationale="被害拡大を防ぐため",
        decided_at=seed.now - timedelta(days=29, hours=1),
        opened_at=seed.now - timedelta(days=29, hours=3),
    )
    with timezone.override("UTC"):
        today = trend.trend_30_days(organisation_id=org, now=seed.now)
        later = trend.trend_30_days(organisation_id=org, now=seed.now + timedelta(days=1))
    totals = [{m.key: m.total for m in shown.metrics}["decide"] for shown in (today, later)]
    assert totals == [1, 0]
    assert later.days[0].day == today.days[1].day


def test_the_home_trend_counts_the_days_of_the_zone_it_is_shown_in_each_time(isms_office, seed):
    """Compiled once per zone too: the same organisation's trend in Tokyo and then in UTC
    puts a decision taken at 15:30 UTC on two different days."""
    org = isms_office.organisation_id
    incident = seed.incidents(1, status="CONTAINING", level=2)[0]
    decided = (seed.now - timedelta(days=3)).replace(hour=15, minute=30, second=0, microsecond=0)
    seed.decisions(
        [incident],
        status="DECIDED",
        outcome="APPROVED",
        rationale="被害拡大を防ぐため",
        decided_at=decided,
        opened_at=decided - timedelta(hours=1),
    )

    def decided_on(zone):
        with timezone.override(zone):
            shown = trend.trend_30_days(organisation_id=org, now=seed.now)
        return [d.day for d in shown.days if d.decide is not None]

    assert decided_on("Asia/Tokyo") == [decided.date() + timedelta(days=1)]
    assert decided_on("UTC") == [decided.date()]


def test_a_kept_part_may_not_read_the_database_while_being_built(isms_office):
    """A row read then would stay in the kept statement's parameters after it changed."""

    def build():
        first = Decision.objects.filter(organisation_id=isms_office.organisation_id).first()
        return {"rows": Decision.objects.filter(pk=first.pk if first else 0)}

    with pytest.raises(KeptImpure):
        kept(("test-impure", isms_office.pk), build)


def test_a_kept_part_whose_key_has_no_moment_may_not_hold_one(isms_office, seed):
    def build():
        return {"rows": Decision.objects.filter(due_at__lt=seed.now)}

    with pytest.raises(KeptImpure):
        kept(("test-moment", isms_office.pk), build, moments=False)
    assert "rows" in kept(("test-moment-kept", isms_office.pk), build)
