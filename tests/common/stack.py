"""Helpers for the tests that start the embedded stack, workers or servers as real processes.

Such a test waits on a condition with a deadline (``wait_until``, ``wait_for_line``), never on
time alone: on a loaded machine it gets slower, not wrong. Deadlines are generous, since they
only cost time when something is broken.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

# What makes the test settings point at PostgreSQL and Redis; without them the settings fall
# back to the embedded default (SQLite, filesystem broker, file cache) under ISMS_VAR_DIR.
SERVER_VARIABLES = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CACHE_URL",
    "STATIC_ROOT",
    "MEDIA_ROOT",
)


def embedded_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SERVER_VARIABLES}
    env.update(
        ISMS_VAR_DIR=str(var_dir),
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY="test-only-not-secret",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,  # migrate on a loaded machine: minutes, not seconds
        check=True,
    )


_MIGRATED: dict[str, Path] = {}


def migrate_embedded(env: dict[str, str]) -> None:
    """``manage.py migrate`` of the embedded SQLite database under ``env``'s ISMS_VAR_DIR.

    Every process-level test starts from a freshly migrated database; migrating from nothing
    takes tens of seconds on a loaded machine, so the first one of this test process is kept
    (its file copied aside) and the others get a copy of it, then migrate what is left: nothing.
    """
    database = Path(env["ISMS_VAR_DIR"]) / "isms_csirt.sqlite3"
    template = _MIGRATED.get("sqlite")
    if template is not None and template.exists():
        database.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, database)
    manage("migrate", "--noinput", env=env)
    if template is None:
        folder = tempfile.mkdtemp(prefix="isms-migrated-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        kept = Path(folder) / "isms_csirt.sqlite3"
        shutil.copyfile(database, kept)
        _MIGRATED["sqlite"] = kept


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(processes: dict[str, subprocess.Popen[bytes]], timeout: float = 15) -> None:
    """Terminate what still runs, then kill what ignores it: no test leaves a process behind."""
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    for process in processes.values():
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wait_until(
    predicate: Callable[[], object],
    timeout: float = 60,
    interval: float = 0.1,
    what: str | Callable[[], str] = "",
) -> None:
    """Poll a condition until it holds, failing after ``timeout`` seconds: the one way these
    tests wait, so a slow machine makes them slower, never wrong. ``what`` (or what it returns
    at the deadline: a log, say) goes into the failure message."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            said = what() if callable(what) else what
            raise AssertionError(f"not true after {timeout}s: {said or predicate}")
        time.sleep(interval)


def wait_for_line(
    log: Path, needle: str, process: subprocess.Popen[bytes], timeout: float = 120
) -> str:
    """Wait until ``needle`` is in the output ``process`` writes to ``log``; the output so far."""
    deadline = time.monotonic() + timeout
    while True:
        output = log.read_text(errors="replace")
        if needle in output:
            return output
        assert process.poll() is None, f"exited early ({process.returncode}):\n{output}"
        assert time.monotonic() < deadline, f"never printed {needle!r} in {timeout}s:\n{output}"
        time.sleep(0.2)
