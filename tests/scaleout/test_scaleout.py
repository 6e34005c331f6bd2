"""Scale-out proven (issue 20, item 3): two web instances, two workers and two beats (the second
started by mistake) on one PostgreSQL and one Redis, one worker SIGKILLed during a delivery and
one web instance SIGKILLed mid-run.

Everything runs as real processes on the test database and this test's Redis databases
(tests/_xdist_env.py gives each pytest-xdist worker its own), on ports the kernel hands out, so
two xdist workers never clash. Every process is started in its own session and killed as a
group when the test ends, whatever happened.

The clock is compressed, not faked: the decisions' deadlines are moved to a few seconds ahead
once they are open, acknowledgement deadlines are a few seconds (ALERT_ACK_SECONDS), claims
last 4 s and both beats run every sweep each second.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from accounts import services as account_services
from accounts.models import ApiKeyScope
from bcp.enums import AssignmentReason
from bcp.models import Decision, DecisionAssignment, DecisionPolicy
from incidents.models import Incident, Report, TimelineEntry
from incidents.services import records
from incidents.services.timeline import timeline_verify
from notifications.models import Alert, DeliveryAttempt, Notification, Subscription
from notifications.models.alerts import AWAITING_ACK
from notifications.services import channels as channel_services
from notifications.services.defaults import subscriptions_seed
from tests.common.stack import REPO_ROOT, free_port, wait_for_line, wait_until
from tests.incidents.conftest import PHISH
from tests.notifications.faults import flush_broker
from tests.notifications.faults import tests_database_url as database_url
from tests.notifications.receiver import Receiver, start_receiver

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

INCIDENTS = 3
TYPES = ("ESTABLISH_IRT", "ACTIVATE_CYBER_BCP")  # one open decision per type and incident
REPORTS = 24
ACK_SECONDS = 2  # an alert not acknowledged escalates before its decision's deadline
DUE_SECONDS = 8
BOOT_SECONDS = 120  # deadlines, not measures: six Django processes boot on a loaded machine
SETTLE_SECONDS = 120
CSRF = "s" * 32  # the session's CSRF token (cookie and header), as a browser would send both


@dataclass
class Fleet:
    """The processes of the run, each in its own process group."""

    logs: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)

    def start(self, name: str, command: list[str], env: dict[str, str]) -> None:
        with (self.logs / f"{name}.log").open("wb") as out:
            self.processes[name] = subprocess.Popen(
                command,
                cwd=REPO_ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def kill(self, name: str) -> None:
        """SIGKILL the whole group: gunicorn's master and its worker, or a Celery worker."""
        process = self.processes[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5)

    def tail(self) -> str:
        return "\n".join(
            f"--- {name}\n{self.log(name).read_text(errors='replace')[-1500:]}"
            for name in self.processes
        )


def _env(tmp_path: Path) -> dict[str, str]:
    # The processes sign timeline entries with this process's keys (a var dir of their own
    # would give each one a fresh development key).
    keys = ",".join(
        f"{key_id}:{base64.b64encode(key).decode()}"
        for key_id, key in django_settings.TIMELINE_HMAC_KEYS.items()
    )
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "ISMS_VAR_DIR": str(tmp_path / "var"),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_DEBUG": "1",
        "DJANGO_SECRET_KEY": "test-only-not-secret",
        "ALERT_WEBHOOK_ALLOW_PRIVATE": "1",
        "ALERT_ACK_SECONDS": str(ACK_SECONDS),
        "ALERT_SWEEP_SECONDS": "1",
        "DECISION_SWEEP_SECONDS": "1",
        "ALERT_LEASE_SECONDS": "4",
        "ALERT_PENDING_GRACE_SECONDS": "2",
        "TWO_FACTOR_REQUIRED_ROLES": "",
        "TWO_FACTOR_REQUIRED_FOR_STAFF": "0",
        "LOG_LEVEL": "WARNING",
        "TIMELINE_HMAC_KEYS": keys,
        "TIMELINE_HMAC_KEY_ID": django_settings.TIMELINE_HMAC_KEY_ID,
    }


def _celery(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "isms_csirt", *args]


def _gunicorn(port: int) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "isms_csirt.wsgi:application"]
    return [*command, "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"]


@pytest.fixture
def fleet(tmp_path, settings) -> Iterator[Fleet]:
    flush_broker(settings.CELERY_BROKER_URL)
    running = Fleet(tmp_path)
    env = _env(tmp_path)
    try:
        for name in ("web-a", "web-b"):
            running.ports[name] = free_port()
            running.start(name, _gunicorn(running.ports[name]), env)
        for name in ("worker-1", "worker-2"):
            command = _celery("worker", "-Q", "alerts,default", "--pool", "solo", "-n", name)
            command += ["--without-mingle", "--without-gossip", "--loglevel", "INFO"]
            running.start(name, command, env)
        for name in ("beat-1", "beat-2"):  # the second one by mistake
            schedule = str(tmp_path / f"{name}-schedule")
            running.start(name, _celery("beat", "-s", schedule, "--loglevel", "INFO"), env)
        for name in ("worker-1", "worker-2"):
            wait_for_line(running.log(name), "ready.", running.processes[name], BOOT_SECONDS)
        for name in ("web-a", "web-b"):
            wait_until(
                lambda name=name: _get(running.ports[name], "/healthz") == 200,
                timeout=BOOT_SECONDS,
                interval=0.3,
                what=running.tail,
            )
        yield running
    finally:
        running.stop_all()
        flush_broker(settings.CELERY_BROKER_URL)


def _get(port: int, path: str) -> int | None:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", path)
        status = conn.getresponse().status
        conn.close()
    except OSError:
        return None
    return status


def _post(port: int, path: str, body: dict, headers: dict[str, str]) -> tuple[int, dict]:
    """One POST; (0, {}) when the instance is gone (refused, reset, no answer)."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request(
            "POST",
            path,
            json.dumps(body).encode(),
            {"Content-Type": "application/json", "Accept-Language": "en", **headers},
        )
        response = conn.getresponse()
        status, data = response.status, response.read()
        conn.close()
    except (OSError, http.client.HTTPException):
        return 0, {}
    return status, json.loads(data or b"{}")


@dataclass
class World:
    incidents: list[Incident]
    api_key: str
    session: str
    receiver: Receiver


@pytest.fixture
def world(settings, organisation, isms_office, decision_maker, deputy) -> Iterator[World]:
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on 127.0.0.1
    receiver = start_receiver()
    channel_services.channel_create(
        actor=isms_office, kind="WEBHOOK", name="scale-out", url=receiver.url("/hook")
    )
    subscriptions_seed(organisation=organisation)
    Subscription.objects.filter(organisation=organisation).update(channels=["WEBHOOK"])
    # A long deadline: after the one compressed deadline below, the next is out of the run.
    DecisionPolicy.objects.update_or_create(
        organisation=organisation, defaults={"deadlines": dict.fromkeys(TYPES, 60)}
    )
    incidents = [
        records.incident_declare(
            organisation=organisation, actor=None, title=f"横展開 {n}", category="TARGETED_EMAIL"
        )
        for n in range(INCIDENTS)
    ]
    _key, plain = account_services.api_key_create(
        organisation=organisation, actor=isms_office, name="Mail gateway", scope=ApiKeyScope.WRITE
    )
    browser = Client()
    browser.force_login(isms_office)  # the session lives in the shared database or cache
    yield World(incidents, plain, browser.cookies["sessionid"].value, receiver)
    receiver.stop()


def _worker_in_flight(fleet: Fleet, port: int) -> str | None:
    """The worker with an open TCP connection to the receiver's port (from /proc)."""
    remote = f":{port:04X}"
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as lines:
            for line in list(lines)[1:]:
                parts = line.split()
                if parts[2].endswith(remote) and parts[3] == "01":  # ESTABLISHED
                    inodes.add(parts[9])
    for name in ("worker-1", "worker-2"):
        fds = Path(f"/proc/{fleet.processes[name].pid}/fd")
        with contextlib.suppress(OSError):
            for fd in fds.iterdir():
                with contextlib.suppress(OSError):
                    link = os.readlink(fd)
                    if link.startswith("socket:[") and link[8:-1] in inodes:
                        return name
    return None


def _open_decisions(fleet: Fleet, world: World) -> tuple[list[int], str]:
    """Open every decision through both instances in turn; the first alert's delivery is held
    at the receiver and its worker SIGKILLed while the request is in flight."""
    headers = {"Cookie": f"sessionid={world.session}; csrftoken={CSRF}", "X-CSRFToken": CSRF}
    world.receiver.hold = threading.Event()
    world.receiver.arrived.clear()
    opened: list[int] = []
    for n, (incident, kind) in enumerate((i, t) for i in world.incidents for t in TYPES):
        port = fleet.ports["web-a" if n % 2 == 0 else "web-b"]
        body = {"incident": incident.ref, "type": kind, "reason": "横展開の試験"}
        status, data = _post(port, "/api/v1/decisions/", body, headers)
        assert status == 201, (status, data)
        opened.append(data["id"])
    try:
        assert world.receiver.arrived.wait(60), fleet.tail()
        wait_until(
            lambda: _worker_in_flight(fleet, world.receiver.port) is not None,
            timeout=5,
            interval=0.05,
            what="a worker with a request in flight",
        )
        victim = _worker_in_flight(fleet, world.receiver.port)
        assert victim is not None
        fleet.kill(victim)
    finally:
        world.receiver.hold.set()
        world.receiver.hold = None
    return opened, victim


def _intake(fleet: Fleet, world: World) -> dict[str, int]:
    """File every report with its own key from 6 clients over both instances; web-b is
    SIGKILLed halfway; a report whose instance failed is sent again to the other one with
    the same key, and every third one is sent again on purpose. key → report id."""
    headers = {"Authorization": f"Api-Key {world.api_key}"}
    ids: dict[str, int] = {}
    a, b = fleet.ports["web-a"], fleet.ports["web-b"]
    killed = threading.Event()

    def file(n: int) -> None:
        key = f"scaleout-{n}-{uuid.uuid4()}"
        body = {
            **PHISH,
            "subject": f"{PHISH['subject']} {n}",
            "reporter_email": f"r{n}@example.com",
        }
        first, other = (a, b) if n % 2 == 0 else (b, a)
        if n == REPORTS // 2:
            fleet.kill("web-b")
            killed.set()
        status, data = _post(first, "/api/v1/reports/", body, headers | {"Idempotency-Key": key})
        if status == 0 or n % 3 == 0:  # the instance went away, or a client's own retry
            target = a if killed.is_set() else other
            replay, again = _post(
                target, "/api/v1/reports/", body, headers | {"Idempotency-Key": key}
            )
            if replay == 0:  # web-b was killed while this retry was on its way: try the one up
                replay, again = _post(
                    a, "/api/v1/reports/", body, headers | {"Idempotency-Key": key}
                )
            assert replay == 201, (replay, again)
            if status == 201:
                assert again["id"] == data["id"]
            status, data = replay, again
        assert status == 201, (status, data)
        ids[key] = data["id"]

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(file, range(REPORTS)))
    return ids


def test_two_web_two_workers_and_two_beats_lose_nothing_and_do_nothing_twice_when_one_of_each_is_killed(  # noqa: E501
    fleet, world
):
    decisions, victim = _open_decisions(fleet, world)
    # The deadlines pass during the run: a few seconds from now instead of an hour.
    Decision.objects.filter(pk__in=decisions).update(
        due_at=timezone.now() + timedelta(seconds=DUE_SECONDS)
    )
    reports = _intake(fleet, world)

    # --- No report lost or duplicated ---------------------------------------------------------
    assert len(set(reports.values())) == REPORTS
    stored = Counter(Report.objects.values_list("subject", flat=True))
    assert sorted(stored.values()) == [1] * REPORTS, stored

    # --- Every deadline swept once: each decision handed to the deputy once -------------------
    def settled() -> bool:
        reassigned = DecisionAssignment.objects.filter(
            decision__in=decisions, reason=AssignmentReason.DEADLINE_EXPIRED
        ).count()
        return (
            reassigned >= len(decisions)
            and not Alert.objects.filter(AWAITING_ACK).exists()  # resolved or flagged, each
            and not Notification.objects.filter(state__in=["PENDING", "SENDING"]).exists()
        )

    wait_until(settled, timeout=SETTLE_SECONDS, interval=0.5, what=fleet.tail)
    time.sleep(3)  # six more sweep ticks from the two beats: they must change nothing
    assert not Notification.objects.filter(state__in=["PENDING", "SENDING", "FAILED"]).exists()
    expired = Counter(
        DecisionAssignment.objects.filter(reason=AssignmentReason.DEADLINE_EXPIRED).values_list(
            "decision_id", flat=True
        )
    )
    assert expired == dict.fromkeys(decisions, 1)
    entries = list(TimelineEntry.objects.values_list("kind", "payload"))
    reassigned = Counter(p["decision"] for k, p in entries if k == "decision.reassigned")
    assert reassigned == dict.fromkeys(decisions, 1)

    # --- Every escalation step once, and each alert flagged unacknowledged once --------------
    steps = Counter((p["alert"], p["step"]) for k, p in entries if k == "alert.escalated")
    assert steps and set(steps.values()) == {1}, steps
    flagged = Counter(p["alert"] for k, p in entries if k == "alert.unacknowledged")
    assert set(flagged.values()) <= {1}, flagged
    # Each decision's first alert went unacknowledged past its deadline before the decision's.
    for alert in Alert.objects.filter(event="decision.opened"):
        assert steps[(alert.pk, 1)] == 1, (alert.pk, steps)
    assert Alert.objects.filter(event="decision.opened").count() == len(decisions)

    # --- No alert delivered twice: one DELIVERED attempt per row; a repeat at the receiver only
    # with the same key, after an attempt that failed (the killed worker's ABANDONED one, or one
    # that timed out while the receiver held it: TRANSIENT) -------------------------------------
    keys = Counter(r.headers["Idempotency-Key"] for r in world.receiver.to("/hook"))
    rows = Notification.objects.filter(channel__kind="WEBHOOK")
    assert set(keys) == {str(key) for key in rows.values_list("idempotency_key", flat=True)}
    delivered = Counter(
        DeliveryAttempt.objects.filter(outcome="DELIVERED").values_list("notification", flat=True)
    )
    assert delivered == dict.fromkeys(rows.values_list("pk", flat=True), 1)
    failed = DeliveryAttempt.objects.exclude(outcome="DELIVERED")
    retried = {str(k) for k in failed.values_list("notification__idempotency_key", flat=True)}
    repeated = {key for key, count in keys.items() if count > 1}
    assert repeated <= retried, (repeated, retried)
    abandoned = failed.filter(outcome="ABANDONED").values_list(
        "notification__idempotency_key", flat=True
    )
    assert {str(k) for k in abandoned} & repeated  # the killed worker's request, sent again

    # --- The hash chains held under two web instances and two workers appending --------------
    for incident in Incident.objects.all():
        assert timeline_verify(incident=incident, anchor=None).ok, incident.ref
    assert victim in ("worker-1", "worker-2")
