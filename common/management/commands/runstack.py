"""Run the web server, a Celery worker and Celery beat together in the foreground.

Ctrl-C (or SIGTERM) stops all three; if one of them dies, the others are stopped too, so a
half-running stack never hides behind a printed URL. The stack is quiet (warnings and errors
only; ``--verbose`` for Celery's banner, INFO logs and the access log), and once ``/readyz``
answers it prints the URL — and the ``--welcome`` file, e.g. the demo's credentials — last,
in a box.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.request
from contextlib import suppress
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# How long web, worker and beat get to stop on their own before they are killed; shorter than
# what a supervisor (or a test) waits for runstack itself, so runstack always cleans up first.
GRACE_SECONDS = 10
READY_SECONDS = 120


def stack_commands(port: int, *, verbose: bool = False) -> dict[str, list[str]]:
    python = sys.executable
    var = str(settings.VAR_DIR)
    level = "INFO" if verbose else "WARNING"
    commands = {
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
        ],
        "worker": [
            python,
            "-m",
            "celery",
            "--quiet",  # no banner
            "-A",
            "isms_csirt",
            "worker",
            "-Q",
            "alerts,default",
            "--concurrency",
            "2",
            "--loglevel",
            level,
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
            level,
            "--schedule",
            f"{var}/celerybeat-schedule",
        ],
    }
    if verbose:
        commands["web"] += ["--access-logfile", "-"]
    return commands


class Command(BaseCommand):
    help = "Run web (gunicorn), Celery worker and Celery beat in the foreground."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument(
            "--welcome", type=Path, help="a text file printed in the box once the app is ready"
        )
        parser.add_argument("--verbose", action="store_true", help="Celery INFO logs and banner")

    def handle(
        self, *args: Any, port: int, welcome: Path | None, verbose: bool, **options: Any
    ) -> None:
        # Each component leads its own process group, so stopping it reaches its children too
        # (gunicorn's workers, Celery's pool) even if the leader dies first.
        processes = {
            name: subprocess.Popen(cmd, start_new_session=True, preexec_fn=_die_with_parent)
            for name, cmd in stack_commands(port, verbose=verbose).items()
        }
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self._announce(port, processes, welcome, lambda: stopping)
        try:
            while not stopping and all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
        finally:
            self.stdout.write("Stopping …")
            self._stop_all(processes)
            self.stdout.write("Stopped.")
        dead = [name for name, p in processes.items() if p.returncode not in (0, None, -15)]
        if not stopping and dead:
            raise CommandError(f"stopped because {', '.join(dead)} exited")

    def _announce(
        self,
        port: int,
        processes: dict[str, subprocess.Popen[bytes]],
        welcome: Path | None,
        stopping: Any,
    ) -> None:
        """Wait until /readyz answers (web, database, broker and a worker's heartbeat), so the
        box comes after the components' start-up output, then print it."""
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + READY_SECONDS
        ready = False
        while not ready and time.monotonic() < deadline and not stopping():
            if any(p.poll() is not None for p in processes.values()):
                return
            ready = _answers(f"{url}readyz")
            if not ready:
                time.sleep(0.5)
        if stopping():
            return
        lines = [f"isms-csirt: {url}", ""]
        if welcome is not None and welcome.exists():
            lines += [*welcome.read_text().splitlines(), ""]
        if not ready:
            lines += ["(/readyz does not answer yet: see the log above)", ""]
        lines.append("Ctrl-C stops the web server, worker and beat.")
        self.stdout.write(self.style.SUCCESS(box(lines)))

    def _stop_all(self, processes: dict[str, subprocess.Popen[bytes]]) -> None:
        # The leaders first: gunicorn's master and Celery's main process stop their own
        # workers cleanly (a SIGTERM to Celery's pool children makes it report them killed).
        for process in processes.values():
            with suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
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


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own loopback URL
            return True
    except urllib.error.HTTPError:  # 503: not ready yet
        return False
    except OSError:
        return False


def _width(text: str) -> int:
    """Terminal columns: wide (Japanese) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def box(lines: list[str]) -> str:
    inner = max(_width(line) for line in lines) + 2
    rows = [f"│ {line}{' ' * (inner - 2 - _width(line))} │" for line in lines]
    return "\n".join(["", "┌" + "─" * inner + "┐", *rows, "└" + "─" * inner + "┘", ""])


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
