#!/usr/bin/env python3
"""Make sure PostgreSQL and Redis answer before the tests run.

A local service that is installed but stopped is started; one that cannot be reached ends the
run at once with a message that says how to start it. Used by `make test` and `.ci/run`.

Environment:
  ENSURE_POSTGRES_ADDR      host:port of PostgreSQL (default 127.0.0.1:5432)
  ENSURE_REDIS_ADDR         host:port of Redis (default 127.0.0.1:6379)
  ENSURE_SERVICES_NO_START  1 = only check, never try to start a service
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable

HINT = (
    "Start them, e.g. with `docker compose up -d postgres redis` (docs/operations.md, "
    '"Services for the tests"), or install and start them locally.'
)
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
START_WAIT_SECONDS = 10


def address(variable: str, default: str) -> tuple[str, int]:
    raw = os.environ.get(variable, "").strip() or default
    host, _, port = raw.rpartition(":")
    if not host or not port.isdigit():
        raise SystemExit(f"ERROR: {variable} must be host:port, got {raw!r}")
    return host.strip("[]"), int(port)


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def start_postgresql(host: str, port: int) -> bool:
    """Start the packaged cluster (Debian's pg_ctlcluster); False when there is none."""
    if not os.path.isdir("/etc/postgresql") or not shutil.which("pg_ctlcluster"):
        return False
    versions = sorted(os.listdir("/etc/postgresql"))
    if not versions:
        return False
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"]
    subprocess.run(command, check=False, timeout=60)
    return True


def start_redis(host: str, port: int) -> bool:
    if not shutil.which("redis-server"):
        return False
    command = ["redis-server", "--daemonize", "yes", "--bind", host, "--port", str(port)]
    subprocess.run([*command, "--save", "", "--appendonly", "no"], check=False, timeout=30)
    return True


SERVICES: dict[str, tuple[str, str, Callable[[str, int], bool]]] = {
    "PostgreSQL": ("ENSURE_POSTGRES_ADDR", "127.0.0.1:5432", start_postgresql),
    "Redis": ("ENSURE_REDIS_ADDR", "127.0.0.1:6379", start_redis),
}


def wait_for(host: str, port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if answers(host, port):
            return True
        time.sleep(0.5)
    return answers(host, port)


def ensure(name: str, host: str, port: int, starter: Callable[[str, int], bool]) -> bool:
    if answers(host, port):
        return True
    # Only a service on this machine can be started from here; a remote one fails at once.
    if os.environ.get("ENSURE_SERVICES_NO_START") == "1" or host not in LOCAL_HOSTS:
        print(f"{name} does not answer on {host}:{port}.", file=sys.stderr)
        return False
    print(f"{name} does not answer on {host}:{port}; trying to start it…", flush=True)
    return starter(host, port) and wait_for(host, port, START_WAIT_SECONDS)


def main() -> int:
    missing = []
    for name, (variable, default, starter) in SERVICES.items():
        host, port = address(variable, default)
        if not ensure(name, host, port, starter):
            missing.append(f"{name} ({host}:{port})")
    if missing:
        print(f"ERROR: not reachable: {', '.join(missing)}. {HINT}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
