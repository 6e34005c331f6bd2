"""Celery tasks of the platform itself: the worker heartbeat and a round-trip probe."""

import socket

from celery import shared_task
from celery.signals import worker_ready

from common import services


@shared_task(name="common.tasks.worker_heartbeat", time_limit=30, soft_time_limit=20)
def worker_heartbeat() -> None:
    """Record that a worker is alive; /readyz reads it."""
    services.heartbeat_record(name="worker", hostname=socket.gethostname())


@shared_task(name="common.tasks.ping", ignore_result=False, time_limit=30, soft_time_limit=20)
def ping(value: str) -> str:
    """Echo a value back: proves a broker → worker → result round trip."""
    return f"pong:{value}"


@worker_ready.connect
def _beat_once_when_ready(sender: object = None, **kwargs: object) -> None:
    """Queue a heartbeat at worker start so /readyz turns green without waiting for beat."""
    worker_heartbeat.apply_async(ignore_result=True)
