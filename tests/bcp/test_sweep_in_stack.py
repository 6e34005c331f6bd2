"""Acceptance in the running app: the embedded stack (`make run`: SQLite, filesystem broker,
gunicorn + Celery worker + beat) reassigns an expired decision within the sweep interval.

The primary decision maker is absent, so the decision goes to the deputy (D-2). Its due time is
then moved into the past directly in the SQLite file, as if the deadline had run out, and the
beat-driven sweep must hand it to the next holder (D-3) within about two sweep intervals.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.common.stack import REPO_ROOT, embedded_env, free_port, manage

pytestmark = pytest.mark.integration

SWEEP_SECONDS = 2
BOOT_SECONDS = 90
# Beat fires every SWEEP_SECONDS; the filesystem broker is polled once a second.
REASSIGN_WITHIN = 2 * SWEEP_SECONDS + 3

SETUP = """
import json
from datetime import timedelta

from django.utils import timezone

from accounts.models import Absence
from accounts.services import organisation_create, role_assign, user_create
from bcp.models import DecisionPolicy
from bcp.services.decisions import decision_open
from incidents.services import records

org = organisation_create(name="結合テスト株式会社")


def holder(name, rank, scope=None):
    user = user_create(organisation=org, username=name, password=None, display_name=name)
    role_assign(
        organisation=org, role="DECISION_MAKER", user=user, priority=rank, authority_scope=scope
    )
    return user


president, deputy = holder("president", 1), holder("deputy", 2)
lead = holder("lead", 3, ["ACTIVATE_CYBER_BCP"])
now = timezone.now()
Absence.objects.create(
    user=president, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8)
)
DecisionPolicy.objects.create(organisation=org, deadlines={"ACTIVATE_CYBER_BCP": 1})
incident = records.incident_declare(
    organisation=org, actor=None, title="標的型メール", category="TARGETED_EMAIL"
)
decision = decision_open(incident=incident, decision_type="ACTIVATE_CYBER_BCP")
print(json.dumps({
    "decision": decision.pk,
    "assignee": decision.assignee_id,
    "due_in_s": (decision.due_at - decision.opened_at).total_seconds(),
    "deputy": deputy.pk,
    "lead": lead.pk,
}))
"""


@dataclass
class RunningStack:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    env: dict[str, str]
    database: Path

    def ready(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            conn.request("GET", "/readyz")
            status = conn.getresponse().status
            conn.close()
        except OSError:
            return False
        return status == 200

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def query(self, sql: str, *params: object) -> list[tuple]:
        with sqlite3.connect(self.database, timeout=20) as db:
            return db.execute(sql, params).fetchall()


@pytest.fixture
def running(tmp_path) -> Iterator[RunningStack]:
    env = {**embedded_env(tmp_path), "DECISION_SWEEP_SECONDS": str(SWEEP_SECONDS)}
    manage("migrate", "--noinput", env=env)
    port = free_port()
    log = tmp_path / "runstack.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runstack", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one below
        )
    stack = RunningStack(process, port, log, env, tmp_path / "isms_csirt.sqlite3")
    try:
        deadline = time.monotonic() + BOOT_SECONDS
        while not stack.ready():
            assert process.poll() is None, f"runstack exited:\n{stack.output()}"
            assert time.monotonic() < deadline, f"never ready:\n{stack.output()}"
            time.sleep(0.5)
        yield stack
    finally:
        _stop_group(process)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the stack's process group (runstack stops its children), then SIGKILL."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # anything left of the group
    process.wait(timeout=5)


def _open_decision(stack: RunningStack) -> dict:
    done = manage("shell", "-c", SETUP, env=stack.env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _expire(stack: RunningStack, decision: int) -> None:
    """What the clock does in a minute: the due time is now in the past."""
    past = datetime.now(UTC) - timedelta(seconds=5)
    stack.query(
        "UPDATE bcp_decision SET due_at = ? WHERE id = ?",
        past.strftime("%Y-%m-%d %H:%M:%S.%f"),
        decision,
    )


def _expired_assignments(stack: RunningStack, decision: int) -> list[tuple]:
    return stack.query(
        "SELECT person_id, rank FROM bcp_decisionassignment "
        "WHERE decision_id = ? AND reason = 'DEADLINE_EXPIRED'",
        decision,
    )


def test_the_running_stack_hands_an_expired_decision_to_the_next_holder(running):
    opened = _open_decision(running)
    assert opened["assignee"] == opened["deputy"]  # D-2: the primary is absent
    assert opened["due_in_s"] == 60  # the organisation's one-minute deadline
    reasons = running.query(
        "SELECT reason FROM bcp_decisionassignment WHERE decision_id = ?", opened["decision"]
    )
    assert reasons == [("ABSENT",)]

    _expire(running, opened["decision"])
    started = time.monotonic()
    while not (moved := _expired_assignments(running, opened["decision"])):
        assert running.process.poll() is None, running.output()
        assert time.monotonic() - started < REASSIGN_WITHIN, (
            f"not reassigned within {REASSIGN_WITHIN}s:\n{running.output()}"
        )
        time.sleep(0.2)

    assert moved == [(opened["lead"], 3)]
    assignee, overdue = running.query(
        "SELECT assignee_id, overdue FROM bcp_decision WHERE id = ?", opened["decision"]
    )[0]
    assert (assignee, overdue) == (opened["lead"], 0)
    time.sleep(SWEEP_SECONDS * 1.5)  # later sweeps find nothing more to do: still one move
    assert len(_expired_assignments(running, opened["decision"])) == 1
