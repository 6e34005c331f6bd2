"""Pieces of the fault tests: a private Redis to stop and start, workers, the test database.

The machine's shared Redis and PostgreSQL are never stopped: a Redis outage is a private
``redis-server`` on a free port, and a PostgreSQL restart is the sweep's backend being
terminated (``pg_terminate_backend``), which is what a restart does to a live connection.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.db import connection
from kombu import pools

from isms_csirt.celery import app
from notifications.services import outbox
from tests.common.stack import REPO_ROOT, free_port, wait_until


class PrivateRedis:
    """A throw-away redis-server (no persistence) that a test may stop and start again."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)

        def answers() -> bool:
            assert self.process is not None and self.process.poll() is None, "redis-server exited"
            with contextlib.suppress(redis.ConnectionError):
                return bool(client.ping())
            return False

        wait_until(answers, interval=0.05, what="the private redis-server answers")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(60)


def reset_producers() -> None:
    """Forget pooled broker connections (after the broker URL changed or the broker died)."""
    pools.reset()  # kombu's process-wide pools, keyed by broker: closed and forgotten
    app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        app.__dict__["amqp"]._producer_pool = None
    outbox._broker_down_until = 0.0


@contextlib.contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Point this process's Celery app (producers and worker threads) at another broker."""
    with pytest.MonkeyPatch.context() as patch:
        # Celery reads CELERY_BROKER_URL from the environment before its configuration.
        patch.setenv("CELERY_BROKER_URL", url)
        patch.setattr(app.conf, "broker_url", url)
        reset_producers()
        try:
            yield
        finally:
            reset_producers()


@contextlib.contextmanager
def worker_thread() -> Iterator[object]:
    """A real worker in this process (the test database, this process's settings)."""
    with start_worker(
        app,
        pool="solo",
        perform_ping_check=False,
        shutdown_timeout=60,
        queues=["alerts", "default"],
    ) as worker:
        yield worker


def flush_broker(url: str) -> None:
    redis.Redis.from_url(url).flushdb()


def tests_database_url() -> str:
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def worker_process(log: Path, **env: str) -> subprocess.Popen[bytes]:
    """A worker as its own process (one that can be SIGKILLed), on the test database."""
    full_env = {
        **os.environ,
        "DATABASE_URL": tests_database_url(),
        "ALERT_WEBHOOK_ALLOW_PRIVATE": "1",
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    command = [sys.executable, "-m", "celery", "-A", "isms_csirt", "worker", "-Q", "alerts,default"]
    command += ["--pool", "solo", "--without-mingle", "--without-gossip", "--loglevel", "INFO"]
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=REPO_ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT
        )
