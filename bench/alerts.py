"""bench/alerts: end-to-end alert latency, a burst's throughput, escalation under faults.

    .venv/bin/python bench/alerts.py [--alerts 1000] [--rate 10] [--burst 1000] [--faults 20]

From the commit of a decision-opening change (``decision_open`` in a transaction) to the local
webhook receiver getting the signed request, with one Celery worker (solo pool, queue
``alerts``) on its own Redis and a throw-away PostgreSQL database:

- latency: ``--alerts`` decisions opened one by one at ``--rate`` per second, p50/p95/p99;
- throughput: ``--burst`` decisions opened in one transaction, time until the last arrives;
- faults: ``--faults`` runs of an unacknowledged decision alert (3 s deadline, sweeps every
  second) with a fault injected at the deadline, in turn: the worker SIGKILLed (and started
  again), Redis restarted, the database connections terminated (what a PostgreSQL restart does
  to them). Measured: how late the escalation step reaches the deputy after its deadline; a step
  that does not arrive within 60 s is lost. The issue's full run is ``--faults 200``.

Redis is a private ``redis-server`` on a free port, so restarting it disturbs no one else.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import _lib


def timezone_now() -> Any:
    from django.utils import timezone

    return timezone.now()


ACK_SECONDS = 3
LOST_AFTER = 60.0


class Arrivals:
    """The receiver's log: (decision id, step) → arrival time, and a count of requests."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.at: dict[tuple[int, int, str], float] = {}
        self.requests = 0

    def record(self, body: dict[str, Any]) -> None:
        now = time.time()
        with self.lock:
            self.requests += 1
            if "decision" in body["data"]:  # other events (the report received) pass by
                key = (body["data"]["decision"], body["step"], body["recipient"]["username"])
                self.at.setdefault(key, now)

    def first(self, decision: int, step: int, user: str) -> float | None:
        with self.lock:
            return self.at.get((decision, step, user))


def start_receiver(arrivals: Arrivals) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            arrivals.record(json.loads(body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Redis:
    def __init__(self) -> None:
        self.port = _lib.free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        time.sleep(0.3)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class Celery:
    """A worker or beat as a child process, restartable."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.env, self.args = env, args
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = _lib.ROOT / "var" / "bench-alerts" / f"{self.args[0]}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "isms_csirt", *self.args],
                cwd=_lib.ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def setup(env: dict[str, str], hook_url: str) -> dict[str, Any]:
    _lib.recreate_database("alerts")
    _lib.manage(env, "migrate", "--noinput", "-v0")
    _lib.django_setup(env)
    from accounts import services as accounts
    from accounts.roles import Role
    from incidents.services import intake, triage
    from notifications.models import Subscription
    from notifications.services import channels
    from notifications.services.defaults import subscriptions_seed

    org = accounts.organisation_create(name="ベンチ株式会社")
    people = {}
    for username, role, rank in [
        ("office", Role.ISMS_OFFICE, 1),
        ("president", Role.DECISION_MAKER, 1),
        ("deputy", Role.DECISION_MAKER, 2),
    ]:
        user = accounts.user_create(
            organisation=org, username=username, password=None, email=f"{username}@example.com"
        )
        accounts.role_assign(organisation=org, role=role, user=user, priority=rank)
        people[username] = user
    channels.channel_create(actor=people["office"], kind="WEBHOOK", name="bench", url=hook_url)
    subscriptions_seed(organisation=org)
    Subscription.objects.filter(organisation=org).update(channels=["WEBHOOK"])
    data = intake.ReportInput(
        sender="bench@evil.example",
        subject="ベンチ",
        what_happened="OPENED_ATTACHMENT",
        reporter_email="r@example.com",
    )
    report = intake.report_submit(organisation=org, actor=None, data=data)
    return {"incident": triage.event_promote(event=report.event, actor=people["office"])}


def open_decisions(incident: Any, count: int) -> tuple[list[int], float]:
    """Open ``count`` decisions in one transaction; returns their ids and the commit time."""
    from django.db import transaction

    from bcp.services.decisions import decision_open

    committed: list[float] = []
    with transaction.atomic():
        # Registered first, so it runs first after the commit, before the alerts are queued.
        transaction.on_commit(lambda: committed.append(time.time()))
        ids = [
            decision_open(incident=incident, decision_type="ESTABLISH_IRT").pk for _ in range(count)
        ]
    return ids, committed[0]


def wait_all(arrivals: Arrivals, ids: list[int], step: int, user: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(arrivals.first(pk, step, user) for pk in ids):
            return
        time.sleep(0.05)


def latency(incident: Any, arrivals: Arrivals, n: int, rate: float) -> dict[str, Any]:
    commits: dict[int, float] = {}
    for _ in range(n):
        started = time.monotonic()
        (pk,), at = open_decisions(incident, 1)
        commits[pk] = at
        time.sleep(max(0.0, 1 / rate - (time.monotonic() - started)))
    wait_all(arrivals, list(commits), 0, "president", 120)
    lat = sorted(
        (arrivals.first(pk, 0, "president") - at) * 1000  # type: ignore[operator]
        for pk, at in commits.items()
        if arrivals.first(pk, 0, "president")
    )
    return {
        "alerts": n,
        "rate_per_s": rate,
        "received": len(lat),
        "p50_ms": _lib.pct(lat, 50),
        "p95_ms": _lib.pct(lat, 95),
        "p99_ms": _lib.pct(lat, 99),
        "max_ms": round(lat[-1], 1) if lat else None,
    }


def burst(incident: Any, arrivals: Arrivals, n: int) -> dict[str, Any]:
    ids, committed = open_decisions(incident, n)
    wait_all(arrivals, ids, 0, "president", 300)
    times = sorted(t for pk in ids if (t := arrivals.first(pk, 0, "president")))
    seconds = times[-1] - committed if times else float("nan")
    return {
        "alerts": n,
        "received": len(times),
        "seconds_to_last": round(seconds, 2),
        "alerts_per_s": round(len(times) / seconds, 1) if times else 0.0,
        "p50_ms": _lib.pct([(t - committed) * 1000 for t in times], 50),
    }


def terminate_database_connections() -> None:
    import psycopg2

    conn = psycopg2.connect(f"{_lib.PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = 'isms_bench_alerts' AND pid <> pg_backend_pid()"
        )
    conn.close()


def faults(incident: Any, arrivals: Arrivals, runs: int, procs: dict[str, Any]) -> dict[str, Any]:
    """Each run: an unacknowledged alert; at its deadline, one fault; when did step 1 arrive?"""
    from django.db import close_old_connections

    from notifications.models import Alert

    kinds = ["worker-kill", "redis-restart", "postgres-terminate"]
    lateness: dict[str, list[float]] = {kind: [] for kind in kinds}
    lost: dict[str, int] = dict.fromkeys(kinds, 0)
    for run in range(runs):
        kind = kinds[run % len(kinds)]
        close_old_connections()
        (pk,), _ = open_decisions(incident, 1)
        due = Alert.objects.get(subject=f"decision:{pk}").ack_due_at.timestamp()
        time.sleep(max(0.0, due - time.time() - 0.2))
        inject(kind, procs)
        deadline = time.time() + LOST_AFTER
        while time.time() < deadline and not arrivals.first(pk, 1, "deputy"):
            time.sleep(0.05)
        arrived = arrivals.first(pk, 1, "deputy")
        if arrived is None:
            lost[kind] += 1
        else:
            lateness[kind].append(arrived - due)
    everything = sorted(x for values in lateness.values() for x in values)
    return {
        "runs": runs,
        "lost_steps": sum(lost.values()),
        "lost_by_fault": lost,
        "late_p50_s": round(_lib.pct(everything, 50), 2),
        "late_p99_s": round(_lib.pct(everything, 99), 2),
        "late_max_s": round(everything[-1], 2) if everything else None,
        "late_p99_by_fault_s": {k: round(_lib.pct(sorted(v), 99), 2) for k, v in lateness.items()},
    }


def inject(kind: str, procs: dict[str, Any]) -> None:
    if kind == "worker-kill":
        procs["worker"].kill()
        procs["worker"].start()
    elif kind == "redis-restart":
        procs["redis"].stop()
        time.sleep(1.0)
        procs["redis"].start()
    else:
        terminate_database_connections()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0, help="decisions opened per second")
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--faults", type=int, default=20, help="fault-injected runs (issue: 200)")
    args = parser.parse_args()

    arrivals = Arrivals()
    server = start_receiver(arrivals)
    redis = Redis()
    redis.start()
    env = _lib.bench_env("alerts")
    env.update(
        CELERY_BROKER_URL=f"redis://127.0.0.1:{redis.port}/0",
        ALERT_WEBHOOK_ALLOW_PRIVATE="1",
        ALERT_ACK_SECONDS=str(ACK_SECONDS),
        ALERT_SWEEP_SECONDS="1",
        ALERT_PENDING_GRACE_SECONDS="3",
        ALERT_LEASE_SECONDS="25",
        DECISION_SWEEP_SECONDS="3600",
    )
    hook = f"http://127.0.0.1:{server.server_address[1]}/hook"
    state = setup(env, hook)
    os.environ.update(env)
    worker = Celery(env, "worker", "-Q", "alerts,default", "--pool", "solo", "--without-mingle")
    worker.args += ("--without-gossip", "--loglevel", "WARNING")
    beat = Celery(
        env, "beat", "--loglevel", "WARNING", "-s", str(_lib.ROOT / "var" / "bench-alerts" / "beat")
    )
    procs = {"worker": worker, "beat": beat, "redis": redis}
    worker.start()
    time.sleep(5)
    results: dict[str, Any] = {"machine": f"{os.cpu_count()} cores (shared)"}
    try:
        results["latency"] = latency(state["incident"], arrivals, args.alerts, args.rate)
        print(json.dumps(results["latency"]), flush=True)
        results["burst"] = burst(state["incident"], arrivals, args.burst)
        print(json.dumps(results["burst"]), flush=True)
        if args.faults:
            from notifications.models import Alert

            # The alerts above were not acknowledged either: keep their steps out of the runs.
            Alert.objects.filter(resolved_at=None).update(resolved_at=timezone_now())
            beat.start()
            time.sleep(3)
            results["faults"] = faults(state["incident"], arrivals, args.faults, procs)
            print(json.dumps(results["faults"]), flush=True)
        results["requests_received"] = arrivals.requests
    finally:
        beat.stop()
        worker.stop()
        redis.stop()
        server.shutdown()
    print(f"results: {_lib.write_result('alerts', results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
