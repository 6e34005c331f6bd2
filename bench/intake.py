"""bench/intake: a phishing wave — N reports of one email from C concurrent clients.

    .venv-bench/bin/python bench/intake.py [--reports 500] [--rounds 3] [--clients 8]
                                     [--after-promotion] [--data NAME] [--workers 3]
                                     [--threads 4] [--worker-class sync] [--reuse]

Against gunicorn (3 workers × 4 threads, the image's shape, unless told otherwise) on
PostgreSQL, through POST /api/v1/reports/ with an API key and an Idempotency-Key. Checks
afterwards: every report stored, exactly one triage item (or, with --after-promotion, every
report joined the one incident), no error. The summary is each figure's median over the
rounds (``--rounds``, each of ``--reports``). Also counts the queries of one more report,
in-process (issue 20: ≤ 15, whatever the data's size).

Without --data, on an empty database of its own (isms_bench_intake). With --data NAME, on the
realistic data set of `make bench-data` (isms_bench_NAME, 500 000 indicators): the wave gets a
subject and URL of its own per run, so it opens its own triage item among the 100 000 there.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid

import _lib

PHISH = {
    "sender": '"経理部" <keiri@evil.example>',
    "subject": "【至急】請求書の送付",
    "url": "https://evil.example/invoice",
    "what_happened": "OPENED_ATTACHMENT",
}


def setup(env: dict[str, str], promote: bool, data: bool, reuse: bool) -> tuple[str, int]:
    if not data and not reuse:
        _lib.recreate_database("intake")
    _lib.manage(env, "migrate", "--noinput", "-v0")  # the data set may predate a migration
    _lib.django_setup(env)
    from accounts import services as accounts
    from accounts.models import Organisation, User
    from accounts.roles import Role
    from incidents.services import intake, triage

    if data or (reuse and Organisation.objects.filter(name="ベンチ株式会社").exists()):
        org = Organisation.objects.get(name="ベンチ株式会社")
        office = User.objects.get(username="office")
    else:
        org = accounts.organisation_create(name="ベンチ株式会社")
        office = accounts.user_create(organisation=org, username="office", password=None)
        accounts.role_assign(organisation=org, role=Role.ISMS_OFFICE, user=office)
    _, key = accounts.api_key_create(organisation=org, actor=office, name="bench", scope="WRITE")
    if promote:
        first = intake.report_submit(
            organisation=org,
            actor=None,
            data=intake.ReportInput(**PHISH, reporter_email="first@example.com"),
        )
        triage.event_promote(event=first.event, actor=office)
    return key, org.pk


def median_of(rounds: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the rounds, errors summed: one round of a few seconds on a
    shared virtual machine moved by ±20 % from the next (bench/README.md, session 10)."""
    summary = {name: statistics.median(r[name] for r in rounds) for name in rounds[0]}
    summary["errors"] = sum(r["errors"] for r in rounds)
    summary["requests"] = sum(r["requests"] for r in rounds)
    summary["ok"] = sum(r["ok"] for r in rounds)
    return summary


def requests_for(key: str, n: int) -> list[_lib.Request]:
    headers = {"Authorization": f"Api-Key {key}", "Content-Type": "application/json"}
    return [
        (
            "POST",
            "/api/v1/reports/",
            json.dumps({**PHISH, "reporter_email": f"r{i}@example.com"}).encode(),
            {**headers, "Idempotency-Key": str(uuid.uuid4())},
        )
        for i in range(n)
    ]


def verify(org_id: int, promote: bool) -> dict[str, int]:
    """Counts of the wave's own rows (its subject is unique to the run)."""
    from incidents.models import Event, Incident, MailDelivery, Report

    wave = Report.objects.filter(organisation_id=org_id, subject=PHISH["subject"])
    incidents = Incident.objects.filter(reports__in=wave).distinct()
    return {
        "reports_stored": wave.count() - (1 if promote else 0),
        "incidents": incidents.count(),
        "triage_items": Event.objects.filter(reports__in=wave).distinct().count(),
        "deliveries": MailDelivery.objects.filter(message__incident__in=incidents).count(),
        "waiting_reports": wave.filter(event__status="RECEIVED").count(),
    }


# Transaction control: a round trip, not a query. In the tests the test's own transaction turns
# the report's BEGIN/COMMIT into a savepoint, so they count neither (test_intake_scale.py).
TRANSACTION_CONTROL = (
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "RELEASE SAVEPOINT",
    "ROLLBACK TO SAVEPOINT",
)


def queries_per_report(key: str) -> tuple[int, int]:
    """One more report of the wave, in-process: its queries (as the tests count them,
    tests/incidents/api/test_intake_scale.py: transaction control left out) and its round
    trips (every statement sent)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    _method, path, body, headers = requests_for(key, 1)[0]
    client = Client(HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            path,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=headers["Authorization"],
            HTTP_IDEMPOTENCY_KEY=headers["Idempotency-Key"],
        )
    if response.status_code >= 400:
        raise RuntimeError(f"the counted report failed: {response.status_code}")
    sent = [query["sql"] for query in ctx.captured_queries]
    if os.environ.get("BENCH_SHOW_QUERIES"):  # what the counted report sent, to stderr
        print("\n".join(sql[:300] for sql in sent), file=sys.stderr)
    return sum(not sql.startswith(TRANSACTION_CONTROL) for sql in sent), len(sent)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--after-promotion",
        action="store_true",
        help="promote the first report so the wave joins an open incident",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds of --reports each; the summary is each figure's median over the rounds",
    )
    parser.add_argument("--data", help="run on isms_bench_<DATA> (make bench-data)")
    # The image's shape (Dockerfile, docker-compose.yml; docs/operations.md "Web processes").
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    parser.add_argument("--worker-class", default="", help="gunicorn worker class (e.g. sync)")
    parser.add_argument(
        "--reuse", action="store_true", help="without --data: keep the database of the last run"
    )
    args = parser.parse_args()
    if args.data:  # a wave of its own among the data set's 100 000 triage items
        tag = time.strftime("%Y%m%d%H%M%S")
        PHISH["subject"] = f"【至急】請求書の送付 {tag}"
        PHISH["url"] = f"https://evil-{tag}.example/invoice"
    env = _lib.bench_env(args.data or "intake")
    if args.reuse and not args.data:  # a wave of its own, as on the data set
        tag = time.strftime("%Y%m%d%H%M%S")
        PHISH["subject"] = f"【至急】請求書の送付 {tag}"
        PHISH["url"] = f"https://evil-{tag}.example/invoice"
    key, org_id = setup(env, args.after_promotion, bool(args.data), args.reuse)
    server = _lib.Gunicorn(
        env, workers=args.workers, threads=args.threads, worker_class=args.worker_class
    )
    try:
        warm = 20  # the warm-up reports belong to the same wave and are counted below
        _lib.run_load(server.port, requests_for(key, warm), args.clients)
        rounds = [
            _lib.run_load(server.port, requests_for(key, args.reports), args.clients).summary()
            for _ in range(args.rounds)
        ]
    finally:
        server.stop()
    summary = median_of(rounds)
    counted, round_trips = queries_per_report(key)
    checks = verify(org_id, args.after_promotion)
    expected = args.rounds * args.reports + warm + 1
    ok = (
        checks["reports_stored"] == expected
        and summary["errors"] == 0
        and checks["triage_items"] == 1
        and (not args.after_promotion or checks["incidents"] == 1)
    )
    payload = {
        "bench": "intake",
        "args": vars(args),
        "summary": summary,
        "rounds": rounds,
        "checks": checks,
        "queries_per_report": counted,
        "round_trips_per_report": round_trips,
        "expected_reports": expected,
        "ok": ok,
    }
    print(json.dumps(payload, indent=2, ensure_ascii=False))
    print("raw:", _lib.write_result("intake", payload))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
