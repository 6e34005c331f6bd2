"""Run the web server, a Celery worker and Celery beat together in the foreground.

Ctrl-C (or SIGTERM) stops all three; if one of them dies, the others are stopped too, so a
half-running stack never hides behind a printed URL.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.request
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


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
        processes = {name: subprocess.Popen(cmd) for name, cmd in stack_commands(port).items()}
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
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
