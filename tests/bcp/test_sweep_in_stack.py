"""Acceptance in the running app: the embedded stack (`make run`: SQLite, filesystem broker,
gunicorn + Celery worker + beat) reassigns an expired decision on a beat-driven sweep.

The primary decision maker is absent, so the decision goes to the deputy (D-2). Its due time is
then moved into the past directly in the SQLite file, as if the deadline had run out, and the
beat-driven sweep must hand it to the next holder (D-3) — once: the sweeps after it, seen
finishing in the worker's log, move nothing more. How often beat runs the sweep is its schedule
(DECISION_SWEEP_SECONDS); the test waits on what happens, with generous deadlines, never on time.
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
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.common.stack import (
    REPO_ROOT,
    embedded_env,
    free_port,
    manage,
    migrate_embedded,
    wait_until,
)

pytestmark = pytest.mark.integration

SWEEP_SECONDS = 2
# Deadlines, not measures: on a loaded machine the stack boots and sweeps slower.
BOOT_SECONDS = 180
REASSIGN_SECONDS = 120
SWEEP_DONE = "Task bcp.tasks.sweep_decisions["

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
        assert self.process.poll() is None, f"runstack exited:\n{self.output()}"
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            conn.request("GET", "/readyz")
            status = conn.getresponse().status
            conn.close()
        except OSError:
            return False
        return status == 200

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def sweeps_done(self) -> int:
        """Decision sweeps the worker logged as finished so far."""
        lines = self.log.read_text(errors="replace").splitlines()
        return sum(1 for line in lines if SWEEP_DONE in line and "succeeded" in line)

    def query(self, sql: str, *params: object) -> list[tuple]:
        with sqlite3.connect(self.database, timeout=60) as db:
            return db.execute(sql, params).fetchall()


@pytest.fixture
def running(tmp_path) -> Iterator[RunningStack]:
    env = {**embedded_env(tmp_path), "DECISION_SWEEP_SECONDS": str(SWEEP_SECONDS)}
    migrate_embedded(env)
    port = free_port()
    log = tmp_path / "runstack.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            # --verbose: the worker logs each task it finishes, which the test counts.
            [sys.executable, "manage.py", "runstack", "--port", str(port), "--verbose"],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one below
        )
    stack = RunningStack(process, port, log, env, tmp_path / "isms_csirt.sqlite3")
    try:
        wait_until(stack.ready, timeout=BOOT_SECONDS, interval=0.5, what=stack.output)
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


def _move_due(stack: RunningStack, decision: int, by: timedelta) -> None:
    """What the clock does: ``by`` from now, the decision is due (in the past: it expired)."""
    stack.query(
        "UPDATE bcp_decision SET due_at = ? WHERE id = ?",
        (datetime.now(UTC) + by).strftime("%Y-%m-%d %H:%M:%S.%f"),
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

    _move_due(running, opened["decision"], by=-timedelta(seconds=5))

    def moved() -> list[tuple]:
        assert running.process.poll() is None, running.output()
        return _expired_assignments(running, opened["decision"])

    wait_until(moved, timeout=REASSIGN_SECONDS, interval=0.2, what=running.output)
    assert moved() == [(opened["lead"], 3)]
    assignee, overdue = running.query(
        "SELECT assignee_id, overdue FROM bcp_decision WHERE id = ?", opened["decision"]
    )[0]
    assert (assignee, overdue) == (opened["lead"], 0)
    # Later sweeps find nothing more to do. The lead's own minute is not what is watched here
    # (a slow machine could let it run out), so it is pushed away. With two worker processes,
    # two sweeps may have been under way when the move was seen; the third to finish after it
    # surely started after it.
    _move_due(running, opened["decision"], by=timedelta(hours=1))
    seen = running.sweeps_done()
    wait_until(
        lambda: running.sweeps_done() >= seen + 3,
        timeout=REASSIGN_SECONDS,
        interval=0.2,
        what=running.output,
    )
    assert len(_expired_assignments(running, opened["decision"])) == 1
