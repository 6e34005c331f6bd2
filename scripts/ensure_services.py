#!/usr/bin/env python3
"""Make sure PostgreSQL and Redis answer on their local ports before the tests run.

A service that is installed but stopped is started; one that cannot be started ends the run
with a message that says how to start it. Used by `make test` and `.ci/run`.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import time

SERVICES = {
    "PostgreSQL": ("127.0.0.1", 5432),
    "Redis": ("127.0.0.1", 6379),
}
HINT = "Start them with `docker compose up -d postgres redis`, or install and start them locally."


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def start_postgresql() -> None:
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if versions and shutil.which("pg_ctlcluster"):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"],
            check=False,
        )
        return
    pg_ctl = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if pg_ctl and os.environ.get("PGDATA"):
        subprocess.run([pg_ctl[-1], "start", "-w"], check=False)


def start_redis() -> None:
    if shutil.which("redis-server"):
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                "6379",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=False,
        )


STARTERS = {"PostgreSQL": start_postgresql, "Redis": start_redis}


def main() -> int:
    missing = []
    for name, (host, port) in SERVICES.items():
        if answers(host, port):
            continue
        print(f"{name} does not answer on {host}:{port}; trying to start it…", flush=True)
        STARTERS[name]()
        for _ in range(20):
            if answers(host, port):
                break
            time.sleep(0.5)
        else:
            missing.append(f"{name} ({host}:{port})")
    if missing:
        print(f"ERROR: not reachable: {', '.join(missing)}. {HINT}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
