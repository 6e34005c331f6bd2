"""The bounded database snapshot fires exactly the rules the full snapshot fires, from the
same moments."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from incidents.models import AffectedAsset, Asset
from risklevels import evaluator
from risklevels.services.engine import full_snapshot_of, incident_reevaluate, snapshot_of

STATES = ["NONE", "SUSPECTED", "CONFIRMED", "COMPROMISED"]


def _scenario(incident, rnd, n):
    AffectedAsset.objects.filter(incident=incident).delete()
    now = timezone.now()
    for i in range(n):
        asset = Asset.objects.create(
            organisation_id=incident.organisation_id,
            asset_tag=f"S{rnd.random()}-{i}",
            kind=rnd.choice(["PC", "PC", "PC", "FILE_SERVER"]),
            holds_personal_data=rnd.random() < 0.3,
        )
        state = rnd.choice(STATES)
        isolated = now - timedelta(minutes=rnd.randint(0, 300)) if rnd.random() < 0.4 else None
        AffectedAsset.objects.create(
            incident=incident,
            asset=asset,
            infection_state=state,
            infection_via=rnd.choice(["MAIL", "LATERAL", "UNKNOWN", "MAIL"]),
            infection_observed_at=(
                now - timedelta(minutes=rnd.randint(0, 300)) if state != "NONE" else None
            ),
            containment_state="ISOLATED" if isolated else "NOT_CONTAINED",
            isolated_at=isolated,
        )


def test_bounded_snapshot_agrees_with_the_full_one(incident):
    rnd = random.Random(20261125)
    for params in (evaluator.Params(), evaluator.Params(infected_threshold=4)):
        for _ in range(25):
            _scenario(incident, rnd, rnd.randint(0, 14))
            full = evaluator.evaluate(full_snapshot_of(incident), params)
            bounded = evaluator.evaluate(
                snapshot_of(incident, threshold=params.infected_threshold), params
            )
            assert [(r.rule_id, r.since) for r in bounded.fired] == [
                (r.rule_id, r.since) for r in full.fired
            ]
            assert bounded.recommended_level == full.recommended_level


def test_snapshot_costs_the_same_queries_at_any_size(incident, django_assert_max_num_queries):
    rnd = random.Random(7)
    _scenario(incident, rnd, 40)
    # Four (issue 20): the subsets and the earliest infections in one UNION ALL, the leaks,
    # the infected count, the outside communication.
    with django_assert_max_num_queries(4):
        snapshot_of(incident)


# Issue 20: the re-evaluation after one fact change (bench/evaluate) was 19 queries, then 12;
# now 10 (the lock with the organisation, the parameters, one aggregate for the counts, the
# snapshot's three reads, the fired rules read and updated, the trend's last point, the open
# escalation decision); it joins the caller's transaction (no SAVEPOINT and RELEASE).
MAX_REEVALUATION_QUERIES = 10


def test_a_re_evaluation_costs_a_bounded_number_of_queries_at_any_size(
    incident, handler, django_assert_max_num_queries
):
    rnd = random.Random(11)
    _scenario(incident, rnd, 120)
    incident_reevaluate(incident=incident, actor=handler, observed_at=timezone.now())  # warm
    with django_assert_max_num_queries(MAX_REEVALUATION_QUERIES):
        incident_reevaluate(incident=incident, actor=handler, observed_at=timezone.now())


def test_the_compiled_sample_reads_each_incident_s_own_rows(incident, handler):
    """Issue 20: the sample's statement is compiled once and run with each incident's and
    organisation's ids; it gives the rows the ORM's query gives, for every incident."""
    from accounts import services as accounts
    from incidents.services import records
    from risklevels.services import engine

    rnd = random.Random(3)
    other_org = accounts.organisation_create(name="別会社")
    other = records.incident_declare(
        organisation=other_org, actor=None, title="other", category="TARGETED_EMAIL"
    )
    _scenario(incident, rnd, 30)
    _scenario(other, rnd, 30)
    for one in (incident, other):
        for threshold in (2, 4):
            compiled = sorted(engine._sample(one, threshold))
            built = sorted((r[-1], r[:-1]) for r in engine._sample_query(one, threshold))
            assert compiled == built
            assert {row[0] for _, row in compiled} <= set(
                AffectedAsset.objects.filter(incident=one).values_list("asset_id", flat=True)
            )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans of PostgreSQL")
def test_the_counts_and_the_snapshot_read_only_index_entries_of_the_incident_s_rows(incident):
    """Issue 20: the infection counts read all 10 000 rows of an incident, the earliest lateral
    infection every infected one, the servers every asset (bench/README.md)."""
    from incidents import facts
    from risklevels.services import engine

    with connection.cursor() as cursor:
        # A test's tables are tiny: make the planner show which index it would read at scale.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        query = facts._INFECTION_COUNTS._build(incident.pk)
        counts = query.explain()
        sample = engine._sample_query(incident, 2).explain()
    # COUNT(*): the index alone answers it once the table is vacuumed (an index-only scan).
    assert str(query.query).count("COUNT(*)") == 3
    assert "Seq Scan" not in counts
    assert "Only Scan using affected_isolated_count " in counts
    assert "affected_lateral_infection" in sample
    assert "asset_servers" in sample
