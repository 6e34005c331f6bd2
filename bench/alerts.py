"""bench/alerts: end-to-end alert latency, a burst's throughput, escalation under faults.

    .venv/bin/python bench/alerts.py [--alerts 1000] [--rate 10] [--burst 1000] [--faults 20]
        [--burst-pool prefork] [--burst-concurrency 4] [--name alerts]

From the commit of a decision-opening change (``decision_open`` in a transaction) to the local
webhook receiver getting the signed request, with one Celery worker (solo pool, queue
``alerts``) on its own Redis and a throw-away PostgreSQL database:

- latency: ``--alerts`` decisions opened one by one at ``--rate`` per second, p50/p95/p99;
- throughput: ``--burst`` decisions opened in one transaction, time until the last arrives, on
  a worker of ``--burst-pool`` with ``--burst-concurrency`` (the production setting, see
  docs/operations.md);
- faults: ``--faults`` runs of an unacknowledged decision alert (2 s deadline, sweeps every
  second, two workers as in production) with a fault injected at the deadline, in turn: a
  worker SIGKILLed while idle (and started again; the other carries on), Redis restarted, the
  database connections terminated (what a PostgreSQL restart does to them), and the worker
  that holds the escalation step *in flight* SIGKILLed (the receiver holds that request open;
  the row's claim lapses after ``ALERT_LEASE_SECONDS`` and the sweep queues it again).
  Measured: how late the escalation step reaches the deputy after its deadline (for the
  in-flight kill: the redelivery, which must carry the first attempt's Idempotency-Key). A step
  the receiver has not recorded within 60 s is looked up in the database and in the receiver's
  log of every request (held ones too), once then and again 60 s after the last run: it is
  reported as not delivered in the database (no DELIVERED row), never at the receiver (no
  request at all), and *lost* when both. The
  in-flight victim is the worker process that owns the held request's socket (the receiver
  knows the sender's port; /proc maps it to the process), so the right worker is killed.
  The issue's full run is ``--faults 200``; the result's ``seconds`` says how long it took.
- CPU: for the burst, the CPU seconds of the worker (and its pool), Redis and this process
  (receiver, publishing) per alert, and the rate two idle cores would allow at that cost (not
  counting PostgreSQL): a figure a loaded machine blurs far less than the wall-clock time.

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


ACK_SECONDS = 2  # short, so 200 fault runs end in about 20 minutes; lateness is from it
LOST_AFTER = 60.0


class Arrivals:
    """The receiver's log: (decision id, step, user) → first arrival time and key, and every
    request as it came (``log``: time, key, decision, step, user, held).

    ``hold_next_step()``: the next escalation step to the deputy is held open (not recorded)
    until ``release`` is set: the request is in flight when the worker is killed. ``held_port``
    is the sender's port of that request: the bench finds the worker process that owns that
    socket (``worker_holding``), so it kills the worker that really holds it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.at: dict[tuple[int, int, str], float] = {}
        self.keys: dict[tuple[int, int, str], str] = {}
        self.log: list[tuple[float, str, int, int, str, bool]] = []
        self.requests = 0
        self.holding = False
        self.held = threading.Event()
        self.release = threading.Event()
        self.held_key = ""
        self.held_port = 0
        self.held_delivered = False  # set: the held request's worker lives; it counts

    def hold_next_step(self) -> None:
        self.held.clear()
        self.release.clear()
        self.held_key = ""
        self.held_port = 0
        self.held_delivered = False
        self.holding = True

    def record(self, body: dict[str, Any], idempotency_key: str, port: int) -> bool:
        """False: this request is held (the caller waits for ``release``)."""
        now = time.time()
        with self.lock:
            self.requests += 1
            if "decision" not in body["data"]:  # other events (the report received) pass by
                return True
            key = (body["data"]["decision"], body["step"], body["recipient"]["username"])
            held = self.holding and body["step"] == 1 and key[2] == "deputy"
            self.log.append((now, idempotency_key, *key, held))
            if held:
                self.holding = False
                self.held_key = idempotency_key
                self.held_port = port
                self.held.set()
                return False
            self.at.setdefault(key, now)
            self.keys.setdefault(key, idempotency_key)
            return True

    def released(self, body: dict[str, Any], idempotency_key: str) -> None:
        """The held request answered after all (its worker was not the one killed): it counts,
        from now."""
        with self.lock:
            if self.held_delivered:
                key = (body["data"]["decision"], body["step"], body["recipient"]["username"])
                self.at.setdefault(key, time.time())
                self.keys.setdefault(key, idempotency_key)

    def first(self, decision: int, step: int, user: str) -> float | None:
        with self.lock:
            return self.at.get((decision, step, user))

    def seen(self, decision: int, step: int, user: str) -> list[tuple[float, str, bool]]:
        """Every request for it the receiver got (held ones too): (time, key, held)."""
        with self.lock:
            return [
                (t, k, h) for t, k, d, s, u, h in self.log if (d, s, u) == (decision, step, user)
            ]


def start_receiver(arrivals: Arrivals) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a production receiver answers

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            key = self.headers.get("Idempotency-Key", "")
            if not arrivals.record(body, key, self.client_address[1]):
                arrivals.release.wait(LOST_AFTER)  # its worker is killed meanwhile
                arrivals.released(body, key)
            with contextlib.suppress(OSError):  # the killed worker's socket is gone
                self.send_response(200)
                self.send_header("Content-Length", "0")
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


def setup(env: dict[str, str], hook_url: str, name: str) -> dict[str, Any]:
    _lib.recreate_database(name)
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


def open_decisions(incident: Any, count: int, at_commit: Any = None) -> tuple[list[int], float]:
    """Open ``count`` decisions in one transaction; returns their ids and the commit time
    (``at_commit``: called then too, before the alerts are queued)."""
    from django.db import transaction

    from bcp.services.decisions import decision_open

    committed: list[float] = []

    def commit() -> None:
        committed.append(time.time())
        if at_commit:
            at_commit()

    with transaction.atomic():
        # Registered first, so it runs first after the commit, before the alerts are queued.
        transaction.on_commit(commit)
        ids = [
            decision_open(incident=incident, decision_type="ESTABLISH_IRT").pk for _ in range(count)
        ]
    return ids, committed[0]


def wait_all(arrivals: Arrivals, ids: list[int], step: int, user: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    waiting = list(ids)
    while time.monotonic() < deadline:
        waiting = [pk for pk in waiting if not arrivals.first(pk, step, user)]
        if not waiting:
            return
        time.sleep(0.05)


def warm_up(incident: Any, arrivals: Arrivals, count: int) -> float:
    """Wait until the worker delivers: ``count`` alerts opened and received before measuring,
    so a worker's boot (40 s on a loaded machine) is not counted as latency. Returns seconds."""
    started = time.monotonic()
    ids, _ = open_decisions(incident, count)
    wait_all(arrivals, ids, 0, "president", 300)
    return round(time.monotonic() - started, 1)


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


def burst(incident: Any, arrivals: Arrivals, n: int, meter: CpuMeter) -> dict[str, Any]:
    ids, committed = open_decisions(incident, n, meter.begin)
    wait_all(arrivals, ids, 0, "president", 600)
    cpu = meter.end()
    times = sorted(t for pk in ids if (t := arrivals.first(pk, 0, "president")))
    seconds = times[-1] - committed if times else float("nan")
    total = sum(cpu.values())
    return {
        **cpu,
        "cpu_ms_per_alert": round(1000 * total / n, 2),
        "alerts_per_s_two_idle_cores_without_postgres": round(2 * n / total, 1) if total else None,
        "alerts": n,
        "received": len(times),
        "seconds_to_last": round(seconds, 2),
        "alerts_per_s": round(len(times) / seconds, 1) if times else 0.0,
        "p50_ms": _lib.pct([(t - committed) * 1000 for t in times], 50),
    }


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (the prefork pool's processes)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
    return found


class CpuMeter:
    """CPU used by the worker and its pool processes, the private Redis and this process (the
    receiver and the publishing of the messages). CPU seconds per alert is what a loaded
    machine cannot blur much. Not counted: PostgreSQL, whose backends cannot be read after the
    fact (Celery's Django fixup closes the worker's connection after every task, so each task's
    backend is gone when the burst ends)."""

    def __init__(self, worker_pid: int, redis_pid: int) -> None:
        self.worker_pid, self.redis_pid = worker_pid, redis_pid
        self.start: dict[int, float] = {}
        self.own = 0.0

    def pids(self) -> list[int]:
        return [*process_tree(self.worker_pid), self.redis_pid]

    def begin(self) -> None:
        self.start = {pid: cpu_seconds(pid) for pid in self.pids()}
        times = os.times()
        self.own = times.user + times.system

    def end(self) -> dict[str, float]:
        # The pool's processes as they were at the start too (a process that exited is 0 now).
        now = {pid: cpu_seconds(pid) for pid in {*self.pids(), *self.start}}
        used = {pid: max(0.0, now[pid] - self.start.get(pid, 0.0)) for pid in now}
        times = os.times()
        return {
            "worker_cpu_s": round(sum(v for p, v in used.items() if p != self.redis_pid), 2),
            "redis_cpu_s": round(used.get(self.redis_pid, 0.0), 2),
            "bench_cpu_s": round(times.user + times.system - self.own, 2),
        }


def terminate_database_connections(name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(f"{_lib.PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [f"isms_bench_{name}"],
        )
    conn.close()


def step_in_database(decision: int) -> dict[str, Any]:
    """What the outbox says of the escalation step to the deputy: its row's state and attempts."""
    from notifications.models import DeliveryAttempt, Notification

    rows = Notification.objects.filter(
        alert__subject=f"decision:{decision}",
        step=1,
        recipient__username="deputy",
        channel__kind="WEBHOOK",
    )
    return {
        "rows": [
            {
                "state": row.state,
                "key": str(row.idempotency_key),
                "attempts": list(
                    DeliveryAttempt.objects.filter(notification=row)
                    .order_by("number")
                    .values_list("outcome", flat=True)
                ),
            }
            for row in rows
        ]
    }


def faults(incident: Any, arrivals: Arrivals, runs: int, procs: dict[str, Any]) -> dict[str, Any]:
    """Each run: an unacknowledged alert; at its deadline, one fault; when did step 1 arrive?

    A step the receiver has not recorded within LOST_AFTER is checked in the database and in the
    receiver's log (held requests too) at once and again at the end of the runs: "lost" counts
    only the steps that neither the outbox (a DELIVERED row) nor the receiver ever saw."""
    from django.db import close_old_connections

    from notifications.models import Alert

    kinds = ["worker-kill", "redis-restart", "postgres-terminate", "worker-kill-in-flight"]
    lateness: dict[str, list[float]] = {kind: [] for kind in kinds}
    late: dict[str, int] = dict.fromkeys(kinds, 0)
    missing: list[tuple[str, int, float]] = []  # (kind, decision, due)
    other_key = holder_unknown = 0
    victims: dict[str, int] = {}
    started = time.monotonic()
    for run in range(runs):
        kind = kinds[run % len(kinds)]
        close_old_connections()
        if kind == "worker-kill-in-flight":
            arrivals.hold_next_step()
        (pk,), _ = open_decisions(incident, 1)
        due = Alert.objects.get(subject=f"decision:{pk}").ack_due_at.timestamp()
        if kind == "worker-kill-in-flight":
            if arrivals.held.wait(LOST_AFTER):  # the step's request is at the receiver, held
                victim = worker_holding(procs, arrivals.held_port, procs["receiver_port"])
                if victim is None:  # no worker owns it (cannot happen unless it hung up)
                    holder_unknown += 1
                    arrivals.held_delivered = True
                else:
                    victims[victim] = victims.get(victim, 0) + 1
                    inject("worker-kill", procs, victim)
            arrivals.release.set()
        else:
            time.sleep(max(0.0, due - time.time() - 0.2))
            inject(kind, procs)
        deadline = time.time() + LOST_AFTER
        while time.time() < deadline and not arrivals.first(pk, 1, "deputy"):
            time.sleep(0.05)
        arrived = arrivals.first(pk, 1, "deputy")
        if arrived is None:
            late[kind] += 1
            missing.append((kind, pk, due))
            print(f"  not recorded in {LOST_AFTER:.0f} s: {step_in_database(pk)}", flush=True)
        else:
            lateness[kind].append(arrived - due)
            if kind == "worker-kill-in-flight":
                other_key += arrivals.keys[(pk, 1, "deputy")] != arrivals.held_key
        print(
            f"run {run + 1}/{runs} {kind}: {lateness[kind][-1] if arrived else 'LATE'}", flush=True
        )
    fault_seconds = time.monotonic() - started
    # The steps not recorded in time: delivered since? (the sweeps kept running meanwhile)
    time.sleep(LOST_AFTER if missing else 0)
    lost: dict[str, int] = dict.fromkeys(kinds, 0)
    lost_db = lost_receiver = 0
    outcome_of_missing = []
    for kind, pk, due in missing:
        db = step_in_database(pk)
        seen = arrivals.seen(pk, 1, "deputy")
        delivered = any(row["state"] == "DELIVERED" for row in db["rows"])
        lost_db += not delivered
        lost_receiver += not seen
        lost[kind] += not delivered and not seen
        outcome_of_missing.append(
            {
                "kind": kind,
                "decision": pk,
                "database": db,
                "receiver": [(round(t - due, 1), k, h) for t, k, h in seen],
            }
        )
    everything = sorted(x for values in lateness.values() for x in values)
    return {
        "runs": runs,
        "seconds": round(fault_seconds, 1),
        "late_over_60_s": sum(late.values()),
        "late_over_60_s_by_fault": late,
        "lost_steps": sum(lost.values()),  # neither delivered in the outbox nor ever received
        "lost_by_fault": lost,
        "not_delivered_in_database": lost_db,  # no DELIVERED row for the step at the end
        "never_at_receiver": lost_receiver,  # no request at all for it (held ones counted)
        "not_recorded_in_time": outcome_of_missing,
        "late_p50_s": round(_lib.pct(everything, 50), 2),
        "late_p99_s": round(_lib.pct(everything, 99), 2),
        "late_max_s": round(everything[-1], 2) if everything else None,
        "late_p99_by_fault_s": {k: round(_lib.pct(sorted(v), 99), 2) for k, v in lateness.items()},
        "late_max_by_fault_s": {k: round(max(v), 2) if v else None for k, v in lateness.items()},
        "in_flight_redelivered_with_another_key": other_key,
        "in_flight_holder_killed": victims,
        "in_flight_holder_not_found": holder_unknown,
        "receiver_requests_per_step": _repeats(arrivals),
    }


def _repeats(arrivals: Arrivals) -> dict[str, int]:
    """How many escalation steps reached the receiver once, and how many twice or more (a
    repeat must carry the first request's key: counted apart when it does not)."""
    per_step: dict[tuple[int, int, str], list[str]] = {}
    with arrivals.lock:
        for _t, key, decision, step, user, _held in arrivals.log:
            per_step.setdefault((decision, step, user), []).append(key)
    once = sum(len(keys) == 1 for keys in per_step.values())
    again = sum(len(keys) > 1 for keys in per_step.values())
    other = sum(len(set(keys)) > 1 for keys in per_step.values())
    return {"once": once, "repeated_same_key": again - other, "repeated_other_key": other}


def connected(pid: int, port: int) -> bool:
    """Whether process ``pid`` has an established TCP connection to 127.0.0.1:``port``."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as lines:
            for line in list(lines)[1:]:
                parts = line.split()
                if parts[2].endswith(f":{port:04X}") and parts[3] == "01":
                    inodes.add(parts[9])
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return True
    return False


def worker_holding(procs: dict[str, Any], sender_port: int, receiver_port: int) -> str | None:
    """The worker process that owns the socket 127.0.0.1:<sender_port> → the receiver (the
    held request's connection, from /proc), or None when no worker owns it."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as lines:
            for line in list(lines)[1:]:
                parts = line.split()
                local, remote = parts[1], parts[2]
                if local.endswith(f":{sender_port:04X}") and remote.endswith(
                    f":{receiver_port:04X}"
                ):
                    inodes.add(parts[9])
    for name in ("worker", "worker-b"):
        process = procs[name].process
        with contextlib.suppress(OSError, AttributeError):
            for fd in os.listdir(f"/proc/{process.pid}/fd"):
                with contextlib.suppress(OSError):
                    link = os.readlink(f"/proc/{process.pid}/fd/{fd}")
                    if link.startswith("socket:[") and link[8:-1] in inodes:
                        return name
    return None


def inject(kind: str, procs: dict[str, Any], victim: str = "worker") -> None:
    if kind == "worker-kill":  # the other worker carries on while this one restarts
        procs[victim].kill()
        procs[victim].start()
    elif kind == "redis-restart":
        procs["redis"].stop()
        time.sleep(1.0)
        procs["redis"].start()
    else:
        terminate_database_connections(procs["name"])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0, help="decisions opened per second")
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--faults", type=int, default=20, help="fault-injected runs (issue: 200)")
    parser.add_argument("--burst-pool", default="prefork", help="the burst's worker pool")
    parser.add_argument("--burst-concurrency", type=int, default=4, help="its processes/threads")
    parser.add_argument(
        "--name", default="alerts", help="its database: isms_bench_<name> (dropped and made)"
    )
    args = parser.parse_args()

    arrivals = Arrivals()
    server = start_receiver(arrivals)
    redis = Redis()
    redis.start()
    env = _lib.bench_env(args.name)
    env.update(
        CELERY_BROKER_URL=f"redis://127.0.0.1:{redis.port}/0",
        ALERT_WEBHOOK_ALLOW_PRIVATE="1",
        ALERT_ACK_SECONDS=str(ACK_SECONDS),
        ALERT_SWEEP_SECONDS="1",
        ALERT_PENDING_GRACE_SECONDS="3",
        DECISION_SWEEP_SECONDS="3600",
    )
    hook = f"http://127.0.0.1:{server.server_address[1]}/hook"
    state = setup(env, hook, args.name)
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
    procs["name"] = args.name
    worker.start()
    time.sleep(5)
    results: dict[str, Any] = {
        "machine": f"{os.cpu_count()} cores (shared)",
        "load_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        results["worker_ready_s"] = warm_up(state["incident"], arrivals, 1)
        results["latency"] = latency(state["incident"], arrivals, args.alerts, args.rate)
        print(json.dumps(results["latency"]), flush=True)
        if args.burst:
            worker.stop()  # the burst runs on the production setting: more processes or threads
            burst_worker = Celery(env, *worker.args[:3], "--pool", args.burst_pool)
            burst_worker.args += ("-c", str(args.burst_concurrency), *worker.args[5:])
            burst_worker.start()
            results["burst_worker_ready_s"] = warm_up(
                state["incident"], arrivals, args.burst_concurrency
            )
            load = os.getloadavg()
            try:
                meter = CpuMeter(burst_worker.process.pid, redis.process.pid)
                results["burst"] = burst(state["incident"], arrivals, args.burst, meter)
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
        if args.faults:
            from notifications.models import Alert

            second.start()
            beat.start()
            results["workers_ready_s"] = warm_up(state["incident"], arrivals, 1)
            # Both workers up: each holds its connection to the broker once it consumes.
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and not all(
                connected(p.process.pid, redis.port) for p in (worker, second)
            ):
                time.sleep(0.5)
            # The alerts above were not acknowledged either: keep their steps out of the runs.
            Alert.objects.filter(resolved_at=None).update(resolved_at=timezone_now())
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
