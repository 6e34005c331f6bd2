"""bench/evaluate: the evaluator at 10 000 affected assets and 100 000 deliveries.

    .venv/bin/python bench/evaluate.py [--assets 10000] [--deliveries 100000] [--name evaluate]

(1) pure evaluations per second on the full snapshot of such an incident; (2) the database-backed
re-evaluation after one fact change (a new infection, committed), p50/p95/p99 and its queries.
Target: re-evaluation ≤ 20 ms p95 at that size.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import _lib

ASSETS_SQL = """
INSERT INTO incidents_asset (created_at, updated_at, organisation_id, asset_tag, hostname, kind,
  owner_department, holds_personal_data, holds_confidential_data, criticality)
SELECT now(), now(), %(org)s, 'PC-' || i, 'pc' || i, 'PC', '', false, false, 'MED'
FROM generate_series(1, %(n)s) AS i
"""
AFFECTED_SQL = """
INSERT INTO incidents_affectedasset (created_at, updated_at, incident_id, asset_id,
  infection_state, infection_via, infection_observed_at, malware_capability, containment_state,
  isolated_at, isolation_method, remediation_state, note)
SELECT now(), now(), %(incident)s, a.id,
  CASE WHEN a.id %% 3 = 0 THEN 'SUSPECTED' ELSE 'NONE' END, 'MAIL',
  CASE WHEN a.id %% 3 = 0 THEN now() - interval '2 hours' END, 'UNKNOWN',
  CASE WHEN a.id %% 7 = 0 THEN 'ISOLATED' ELSE 'NOT_CONTAINED' END,
  CASE WHEN a.id %% 7 = 0 THEN now() - interval '3 hours' END, '', 'NONE', ''
FROM incidents_asset a WHERE a.organisation_id = %(org)s
"""
DELIVERIES_SQL = """
INSERT INTO incidents_maildelivery (created_at, updated_at, message_id, recipient_name,
  recipient_email, executed, blocked)
SELECT now(), now(), %(message)s, 'r' || i, 'r' || i || '@example.com', i %% 50 = 0, false
FROM generate_series(1, %(n)s) AS i
"""


def setup(env: dict[str, str], assets: int, deliveries: int, name: str):  # type: ignore[no-untyped-def]
    _lib.recreate_database(name)
    _lib.manage(env, "migrate", "--noinput", "-v0")
    _lib.django_setup(env)
    from django.db import connection

    from accounts import services as accounts
    from accounts.roles import Role
    from incidents.models import MailMessage
    from incidents.services import records

    org = accounts.organisation_create(name="ベンチ株式会社")
    handler = accounts.user_create(organisation=org, username="handler", password=None)
    accounts.role_assign(organisation=org, role=Role.INCIDENT_HANDLER, user=handler)
    lead = accounts.user_create(organisation=org, username="lead", password=None)
    accounts.role_assign(organisation=org, role=Role.CSIRT_LEAD, user=lead)
    incident = records.incident_declare(
        organisation=org, actor=handler, title="bench", category="TARGETED_EMAIL"
    )
    message = MailMessage.objects.create(
        incident=incident,
        subject="x",
        first_seen=incident.declared_at,
        last_seen=incident.declared_at,
    )
    with connection.cursor() as cur:
        cur.execute(ASSETS_SQL, {"org": org.pk, "n": assets})
        cur.execute(AFFECTED_SQL, {"org": org.pk, "incident": incident.pk})
        cur.execute(DELIVERIES_SQL, {"message": message.pk, "n": deliveries})
        # As bench/data.py: a table written in bulk is vacuumed before it is read (autovacuum
        # would, within a minute), so index-only counts read no heap pages (issue 20).
        cur.execute("VACUUM ANALYZE")
    return org, incident, handler


def pure(incident, repeat: int) -> dict:  # type: ignore[no-untyped-def]
    from risklevels import evaluator
    from risklevels.services.engine import full_snapshot_of

    snapshot = full_snapshot_of(incident)
    params = evaluator.Params()
    started = time.perf_counter()
    for _ in range(repeat):
        evaluator.evaluate(snapshot, params)
    seconds = time.perf_counter() - started
    return {
        "assets_in_snapshot": len(snapshot.assets),
        "evaluations_per_s": round(repeat / seconds, 1),
        "ms_per_evaluation": round(seconds / repeat * 1000, 3),
    }


def database(org, incident, handler, repeat: int) -> dict:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from incidents.models import Asset
    from incidents.services import findings
    from risklevels.services.engine import incident_reevaluate, snapshot_of

    fresh = iter(
        [Asset.objects.create(organisation=org, asset_tag=f"NEW-{i}") for i in range(repeat)]
    )
    with CaptureQueriesContext(connection) as snap_queries:
        snapshot_of(incident)

    def one() -> None:
        findings.asset_infection_set(
            incident=incident, actor=handler, asset=next(fresh), state="SUSPECTED"
        )

    wall, cpu = [], []
    for _ in range(repeat - 1):
        started, used = time.perf_counter(), time.process_time()
        one()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    with CaptureQueriesContext(connection) as change:
        one()  # the statements of one whole fact change: the fact, the rules, the APPI rules
    if os.environ.get("BENCH_SHOW_QUERIES"):  # the statements of that change, to stderr
        print("\n".join(q["sql"][:200] for q in change.captured_queries), file=sys.stderr)
    with CaptureQueriesContext(connection) as queries:
        incident_reevaluate(incident=incident, actor=handler, observed_at=timezone.now())
    return {
        "fact_change_with_reevaluation_ms": _percentiles(wall),
        # This process's CPU only (PostgreSQL's is apart): comparable on a loaded machine.
        "fact_change_cpu_ms": _percentiles(cpu),
        "fact_change_statements": len(change),
        "snapshot_queries": len(snap_queries),
        "reevaluation_queries": len(queries),
    }


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "n": len(ordered),
        **{f"p{p}": _lib.pct(ordered, p) for p in (50, 95, 99)},
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--deliveries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument(
        "--name", default="evaluate", help="its database: isms_bench_<name> (a shared machine)"
    )
    args = parser.parse_args()
    env = _lib.bench_env(args.name)
    org, incident, handler = setup(env, args.assets, args.deliveries, args.name)
    payload = {
        "bench": "evaluate",
        "args": vars(args),
        "pure": pure(incident, 50),
        "database": database(org, incident, handler, args.repeat),
    }
    print(json.dumps(payload, indent=2, ensure_ascii=False))
    print("raw:", _lib.write_result("evaluate", payload))
    return 0


if __name__ == "__main__":
    sys.exit(main())
