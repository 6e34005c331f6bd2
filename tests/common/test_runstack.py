"""`manage.py runstack` (what `make run` ends with): web, worker and beat on the embedded default.

No PostgreSQL or Redis is involved: SQLite and the filesystem broker under a temporary var dir.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.common.stack import (
    REPO_ROOT,
    embedded_env,
    free_port,
    migrate_embedded,
    stop,
    wait_for_line,
)

pytestmark = pytest.mark.integration

# Deadlines, not measures: a loaded machine boots the stack in minutes. runstack itself gives
# its components 10 s before it kills them.
BOOT_SECONDS = 180
STOP_SECONDS = 60


@dataclass
class Stack:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def get(self, path: str) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", path)
        response = conn.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        conn.close()
        return response

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _wait_ready(stack: Stack) -> dict:
    deadline = time.monotonic() + BOOT_SECONDS
    body: dict = {}
    while time.monotonic() < deadline:
        assert stack.process.poll() is None, f"runstack exited early:\n{stack.output()}"
        try:
            response = stack.get("/readyz")
        except OSError:
            time.sleep(0.5)
            continue
        body = json.loads(response.body)  # type: ignore[attr-defined]
        if response.status == 200:
            return body
        time.sleep(0.5)
    raise AssertionError(f"/readyz never turned 200 (last: {body}):\n{stack.output()}")


@pytest.fixture
def stack(tmp_path) -> Iterator[Stack]:
    env = embedded_env(tmp_path)
    migrate_embedded(env)
    port = free_port()
    log = tmp_path / "runstack.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runstack", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )
    running = Stack(process=process, port=port, log=log)
    try:
        yield running
    finally:
        leftovers = _descendants(process.pid)
        stop({"runstack": process})
        for pid in leftovers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _assert_everything_exits(stack: Stack, pids: set[int]) -> None:
    deadline = time.monotonic() + STOP_SECONDS
    while time.monotonic() < deadline and (_alive(stack.process.pid) or any(map(_alive, pids))):
        time.sleep(0.2)
    still_running = sorted(pid for pid in pids if _alive(pid))
    assert stack.process.poll() is not None, f"runstack still runs:\n{stack.output()}"
    assert still_running == [], f"orphans after {STOP_SECONDS}s: {still_running}"
    assert stack.process.returncode == 0, stack.output()


def test_runstack_serves_a_ready_app_and_ctrl_c_stops_web_worker_and_beat(stack):
    body = _wait_ready(stack)
    assert body["checks"]["database"]["detail"] == "sqlite"
    assert "filesystem" in body["checks"]["broker"]["detail"].lower()
    # The URL is printed once runstack's own probe of /healthz answered: soon after, not before.
    wait_for_line(stack.log, f"http://127.0.0.1:{stack.port}/", stack.process, BOOT_SECONDS)

    root = stack.get("/")
    assert root.status == 302
    assert root.getheader("Location").startswith("/accounts/login/?next=/")
    login = stack.get("/accounts/login/")
    assert login.status == 200
    assert b'lang="ja"' in login.body  # type: ignore[attr-defined]

    pids = _descendants(stack.process.pid)
    assert len(pids) >= 3  # web (gunicorn master + workers), worker, beat
    os.killpg(stack.process.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground job
    _assert_everything_exits(stack, pids)


def test_sigterm_to_runstack_alone_stops_its_children_too(stack):
    _wait_ready(stack)
    pids = _descendants(stack.process.pid)
    stack.process.send_signal(signal.SIGTERM)
    _assert_everything_exits(stack, pids)
