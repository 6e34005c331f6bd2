"""Real Celery workers: one against Redis (production), one on the embedded filesystem broker."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker

from common import tasks
from common.models import WorkerHeartbeat
from isms_csirt.celery import app
from tests.common.stack import REPO_ROOT, embedded_env, migrate_embedded, stop, wait_for_line

pytestmark = pytest.mark.integration

ROUND_TRIP_SECONDS = 60  # a deadline for a task's result, not a measure


@pytest.fixture
def redis_worker(transactional_db) -> Iterator[object]:
    """A worker thread sharing this process's settings: Redis broker, PostgreSQL test database.

    ``transactional_db`` because the worker thread commits on its own connection.
    """
    assert app.conf.broker_url.startswith("redis://")
    app.control.purge()  # a message left by an interrupted earlier run must not leak in
    # Celery's own ping check needs stored results, which this project turns off by default;
    # the tests below make the round trip themselves.
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=60) as worker:
        yield worker


def test_ping_round_trips_through_redis_and_a_real_worker(redis_worker):
    result = tasks.ping.delay("redis")
    assert result.get(timeout=ROUND_TRIP_SECONDS) == "pong:redis"


def test_worker_heartbeat_run_by_the_worker_writes_the_heartbeat_row(redis_worker):
    assert not WorkerHeartbeat.objects.exists()
    tasks.worker_heartbeat.apply_async(ignore_result=False).get(timeout=ROUND_TRIP_SECONDS)
    beat = WorkerHeartbeat.objects.get(name="worker")
    assert beat.hostname


def _filesystem_client(var_dir: Path) -> Celery:
    """A producer configured as settings.py configures the filesystem transport under var_dir."""
    broker = var_dir / "broker"
    client = Celery("filesystem-probe", set_as_current=False)
    client.conf.update(
        broker_url="filesystem://",
        broker_transport_options={
            "data_folder_in": str(broker / "queue"),
            "data_folder_out": str(broker / "queue"),
            "processed_folder": str(broker / "processed"),
            "control_folder": str(broker / "control"),
            "store_processed": False,
        },
        result_backend=f"file://{broker / 'results'}",
        task_default_queue="default",
    )
    return client


def test_embedded_filesystem_broker_worker_processes_a_task(tmp_path, monkeypatch):
    # Celery prefers CELERY_BROKER_URL from the environment over its configuration.
    monkeypatch.delenv("CELERY_BROKER_URL")
    env = embedded_env(tmp_path)
    migrate_embedded(env)
    log = tmp_path / "worker.log"
    worker_cmd = [sys.executable, "-m", "celery", "-A", "isms_csirt", "worker"]
    worker_cmd += ["-Q", "alerts,default", "--pool", "solo", "--without-mingle", "--without-gossip"]
    worker_cmd += ["--loglevel", "INFO"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            worker_cmd, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    client = _filesystem_client(tmp_path)
    try:
        wait_for_line(log, "ready.", process)
        result = client.send_task("common.tasks.ping", args=["filesystem"])
        assert result.get(timeout=ROUND_TRIP_SECONDS, interval=0.2) == "pong:filesystem"
    finally:
        client.close()
        stop({"worker": process})
    assert "Task common.tasks.ping[" in log.read_text()
