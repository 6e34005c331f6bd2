"""fold: several reads in one statement give what each read alone gives (issue 20)."""

from datetime import timedelta

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from bcp.models import Decision
from common.fold import fold
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
