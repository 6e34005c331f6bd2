"""Run the web server, a Celery worker and Celery beat together in the foreground.

Ctrl-C (or SIGTERM) stops all three; if one of them dies, the others are stopped too, so a
half-running stack never hides behind a printed URL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import suppress
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# How long web, worker and beat get to stop on their own before they are killed; shorter than
# what a supervisor (or a test) waits for runstack itself, so runstack always cleans up first.
GRACE_SECONDS = 10


def stack_commands(port: int) -> dict[str, list[str]]:
    python = sys.executable
    var = str(settings.VAR_DIR)
    return {
        "web": [
            python,
            "-m",
            "gunicorn",
            "isms_csirt.wsgi:application",
            "--bind",
            f"0.0.0.0:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--access-logfile",
            "-",
        ],
        "worker": [
            python,
            "-m",
            "celery",
            "-A",
            "isms_csirt",
            "worker",
            "-Q",
            "alerts,default",
            "--concurrency",
            "2",
            "--loglevel",
            "INFO",
            "--without-mingle",
            "--without-gossip",
        ],
        "beat": [
            python,
            "-m",
            "celery",
            "-A",
            "isms_csirt",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            f"{var}/celerybeat-schedule",
        ],
    }


class Command(BaseCommand):
    help = "Run web (gunicorn), Celery worker and Celery beat in the foreground."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=settings.PORT)

    def handle(self, *args: Any, port: int, **options: Any) -> None:
        # Each component leads its own process group, so stopping it reaches its children too
        # (gunicorn's workers, Celery's pool) even if the leader dies first.
        processes = {
            name: subprocess.Popen(cmd, start_new_session=True, preexec_fn=_die_with_parent)
            for name, cmd in stack_commands(port).items()
        }
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self._announce(port, processes)
        try:
            while not stopping and all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
        finally:
            self._stop_all(processes)
        dead = [name for name, p in processes.items() if p.returncode not in (0, None, -15)]
        if not stopping and dead:
            raise CommandError(f"stopped because {', '.join(dead)} exited")

    def _announce(self, port: int, processes: dict[str, subprocess.Popen[bytes]]) -> None:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(120):
            if processes["web"].poll() is not None:
                return
            try:
                with urllib.request.urlopen(f"{url}healthz", timeout=1):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.5)
        self.stdout.write(
            self.style.SUCCESS(
                f"\n  isms-csirt is running at {url}\n"
                "  (Ctrl-C stops the web server, worker and beat)\n"
            )
        )

    def _stop_all(self, processes: dict[str, subprocess.Popen[bytes]]) -> None:
        for process in processes.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for process in processes.values():
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        # Whatever is left of a group after the grace period (a leader that did not stop, or
        # children it left behind) is killed: Ctrl-C never leaves orphans.
        for process in processes.values():
            _signal_group(process, signal.SIGKILL)
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)


def _signal_group(process: subprocess.Popen[bytes], sig: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def _die_with_parent() -> None:
    """In the child, before exec: on Linux, get SIGTERM if runstack itself is killed, so a
    killed runstack (SIGKILL) never leaves the stack running without it."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
