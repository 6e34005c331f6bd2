"""bench/alerts: end-to-end alert latency, a burst's throughput, escalation under faults.

    .venv/bin/python bench/alerts.py [--alerts 1000] [--rate 10] [--burst 1000] [--faults 20]
        [--burst-pool prefork] [--burst-concurrency 4]

From the commit of a decision-opening change (``decision_open`` in a transaction) to the local
webhook receiver getting the signed request, with one Celery worker (solo pool, queue
``alerts``) on its own Redis and a throw-away PostgreSQL database:

- latency: ``--alerts`` decisions opened one by one at ``--rate`` per second, p50/p95/p99;
- throughput: ``--burst`` decisions opened in one transaction, time until the last arrives, on
  a worker of ``--burst-pool`` with ``--burst-concurrency`` (the production setting, see
  docs/operations.md);
- faults: ``--faults`` runs of an unacknowledged decision alert (3 s deadline, sweeps every
  second, two workers as in production) with a fault injected at the deadline, in turn: a
  worker SIGKILLed while idle (and started again; the other carries on), Redis restarted, the
  database connections terminated (what a PostgreSQL restart does to them), and the worker
  that holds the escalation step *in flight* SIGKILLed (the receiver holds that request open;
  the row's claim lapses after ``ALERT_LEASE_SECONDS`` and the sweep queues it again).
  Measured: how late the escalation step reaches the deputy after its deadline (for the
  in-flight kill: the redelivery, which must carry the first attempt's Idempotency-Key); a step
  that does not arrive within 60 s is lost.
  The issue's full run is ``--faults 200``.

Redis is a private ``redis-server`` on a free port, so restarting it disturbs no one else.
"""

from __future__ import annotations

import argparse
import contextlib
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
    """The receiver's log: (decision id, step) → arrival time, and a count of requests.

    ``hold_next_step()``: the next escalation step to the deputy is held open (not recorded)
    until ``release`` is set: the request is in flight when the worker is killed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.at: dict[tuple[int, int, str], float] = {}
        self.keys: dict[tuple[int, int, str], str] = {}
        self.requests = 0
        self.holding = False
        self.held = threading.Event()
        self.release = threading.Event()
        self.held_key = ""

    def hold_next_step(self) -> None:
        self.held.clear()
        self.release.clear()
        self.held_key = ""
        self.holding = True

    def record(self, body: dict[str, Any], idempotency_key: str) -> bool:
        """False: this request is held (the caller waits for ``release``)."""
        now = time.time()
        with self.lock:
            self.requests += 1
            if "decision" not in body["data"]:  # other events (the report received) pass by
                return True
            key = (body["data"]["decision"], body["step"], body["recipient"]["username"])
            if self.holding and body["step"] == 1 and key[2] == "deputy":
                self.holding = False
                self.held_key = idempotency_key
                self.held.set()
                return False
            self.at.setdefault(key, now)
            self.keys.setdefault(key, idempotency_key)
            return True

    def first(self, decision: int, step: int, user: str) -> float | None:
        with self.lock:
            return self.at.get((decision, step, user))


def start_receiver(arrivals: Arrivals) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if not arrivals.record(json.loads(body), self.headers.get("Idempotency-Key", "")):
                arrivals.release.wait(LOST_AFTER)  # its worker is killed meanwhile
            with contextlib.suppress(OSError):  # the killed worker's socket is gone
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

    kinds = ["worker-kill", "redis-restart", "postgres-terminate", "worker-kill-in-flight"]
    lateness: dict[str, list[float]] = {kind: [] for kind in kinds}
    lost: dict[str, int] = dict.fromkeys(kinds, 0)
    other_key = 0
    for run in range(runs):
        kind = kinds[run % len(kinds)]
        close_old_connections()
        if kind == "worker-kill-in-flight":
            arrivals.hold_next_step()
        (pk,), _ = open_decisions(incident, 1)
        due = Alert.objects.get(subject=f"decision:{pk}").ack_due_at.timestamp()
        if kind == "worker-kill-in-flight":
            if arrivals.held.wait(LOST_AFTER):  # the step's request is at the receiver, held
                inject("worker-kill", procs, worker_in_flight(procs, procs["receiver_port"]))
            arrivals.release.set()
        else:
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
            if kind == "worker-kill-in-flight":
                other_key += arrivals.keys[(pk, 1, "deputy")] != arrivals.held_key
        print(
            f"run {run + 1}/{runs} {kind}: {lateness[kind][-1] if arrived else 'LOST'}", flush=True
        )
    everything = sorted(x for values in lateness.values() for x in values)
    return {
        "runs": runs,
        "lost_steps": sum(lost.values()),
        "lost_by_fault": lost,
        "late_p50_s": round(_lib.pct(everything, 50), 2),
        "late_p99_s": round(_lib.pct(everything, 99), 2),
        "late_max_s": round(everything[-1], 2) if everything else None,
        "late_p99_by_fault_s": {k: round(_lib.pct(sorted(v), 99), 2) for k, v in lateness.items()},
        "late_max_by_fault_s": {k: round(max(v), 2) if v else None for k, v in lateness.items()},
        "in_flight_redelivered_with_another_key": other_key,
    }


def worker_in_flight(procs: dict[str, Any], port: int) -> str:
    """The worker with an open connection to the receiver's port (from /proc), else "worker"."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as lines:
            for line in list(lines)[1:]:
                parts = line.split()
                if parts[2].endswith(f":{port:04X}") and parts[3] == "01":  # ESTABLISHED
                    inodes.add(parts[9])
    for name in ("worker", "worker-b"):
        process = procs[name].process
        with contextlib.suppress(OSError, AttributeError):
            for fd in os.listdir(f"/proc/{process.pid}/fd"):
                with contextlib.suppress(OSError):
                    link = os.readlink(f"/proc/{process.pid}/fd/{fd}")
                    if link.startswith("socket:[") and link[8:-1] in inodes:
                        return name
    return "worker"


def inject(kind: str, procs: dict[str, Any], victim: str = "worker") -> None:
    if kind == "worker-kill":  # the other worker carries on while this one restarts
        procs[victim].kill()
        procs[victim].start()
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
    parser.add_argument("--burst-pool", default="prefork", help="the burst's worker pool")
    parser.add_argument("--burst-concurrency", type=int, default=4, help="its processes/threads")
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
    second = Celery(env, *worker.args)  # the fault part runs two workers, as production does
    second.args = (*worker.args, "-n", "second@%h")
    procs: dict[str, Any] = {"worker": worker, "worker-b": second, "beat": beat, "redis": redis}
    procs["receiver_port"] = server.server_address[1]
    worker.start()
    time.sleep(5)
    results: dict[str, Any] = {
        "machine": f"{os.cpu_count()} cores (shared)",
        "load_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        results["latency"] = latency(state["incident"], arrivals, args.alerts, args.rate)
        print(json.dumps(results["latency"]), flush=True)
        worker.stop()  # the burst runs on the production setting: more processes or threads
        burst_worker = Celery(env, *worker.args[:3], "--pool", args.burst_pool)
        burst_worker.args += ("-c", str(args.burst_concurrency), *worker.args[5:])
        burst_worker.start()
        time.sleep(8)
        load = os.getloadavg()
        try:
            results["burst"] = burst(state["incident"], arrivals, args.burst)
        finally:
            burst_worker.stop()
        results["burst"].update(
            pool=args.burst_pool,
            concurrency=args.burst_concurrency,
            load_before=[round(x, 2) for x in load],
            load_after=[round(x, 2) for x in os.getloadavg()],
        )
        print(json.dumps(results["burst"]), flush=True)
        worker.start()
        time.sleep(5)
        if args.faults:
            from notifications.models import Alert

            # The alerts above were not acknowledged either: keep their steps out of the runs.
            Alert.objects.filter(resolved_at=None).update(resolved_at=timezone_now())
            second.start()
            beat.start()
            time.sleep(15)  # both workers up (a worker boots in seconds, more on a loaded machine)
            results["faults"] = faults(state["incident"], arrivals, args.faults, procs)
            print(json.dumps(results["faults"]), flush=True)
        results["requests_received"] = arrivals.requests
        results["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        beat.stop()
        second.stop()
        worker.stop()
        redis.stop()
        server.shutdown()
    print(f"results: {_lib.write_result('alerts', results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
