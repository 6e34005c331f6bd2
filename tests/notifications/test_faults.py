"""Fault tests: a real Redis, a real Celery worker, a local HTTP receiver (issue 6).

Delivery guarantee when a worker dies mid-request: at least once, with the same
Idempotency-Key on every attempt, so the receiver drops the repeat. Exactly once cannot be had
across an HTTP boundary: a worker killed after the receiver got the request but before the
row was marked delivered cannot know the request arrived.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from functools import partial

import pytest
from celery.signals import task_postrun
from django.db import connection
from django.utils import timezone

from notifications.models import DeliveryAttempt, Notification
from notifications.models.alerts import NotificationQuerySet
from notifications.services import outbox, sweeps
from notifications.tasks import sweep_pending
from tests.common.stack import wait_for_line, wait_until
from tests.incidents.test_concurrency import _race
from tests.notifications.faults import (
    PrivateRedis,
    broker_at,
    flush_broker,
    worker_process,
    worker_thread,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def webhook(channel, receiver, route_to, decision_maker, deputy):
    """Decision alerts go to the receiver's /hook only."""
    made = channel("WEBHOOK", url=receiver.url("/hook"))
    route_to(["WEBHOOK"])
    return made


@pytest.fixture
def fast(settings):
    settings.ALERT_PENDING_GRACE_SECONDS = 0
    settings.ALERT_BROKER_BACKOFF_SECONDS = 0
    settings.ALERT_RETRY_BASE_SECONDS = 0.3


@pytest.fixture
def shared_broker(settings):
    flush_broker(settings.CELERY_BROKER_URL)  # nothing left over from an interrupted run
    yield settings.CELERY_BROKER_URL
    flush_broker(settings.CELERY_BROKER_URL)


@pytest.fixture
def no_enqueue(monkeypatch):
    """Messages lost at commit time: the rows are written, nothing reaches the broker (the
    sweeps keep their own reference to the real ``enqueue``)."""
    monkeypatch.setattr(outbox, "enqueue", lambda ids, **kw: False)
    yield
    monkeypatch.undo()


def _rows(webhook):
    return Notification.objects.filter(channel=webhook)


@contextlib.contextmanager
def _connections_to(port: int) -> Iterator[list[float | None]]:
    """The socket timeout of every connection this process opens to 127.0.0.1:port."""
    opened: list[float | None] = []
    connect = socket.socket.connect

    def recording(sock: socket.socket, address: object) -> None:
        if address == ("127.0.0.1", port):
            opened.append(sock.gettimeout())
        connect(sock, address)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", recording)
        yield opened


def test_redis_stopped_at_commit_loses_nothing_the_sweep_delivers_when_it_is_back(
    tmp_path, webhook, open_decision, receiver, fast
):
    private = PrivateRedis(tmp_path)
    private.start()
    try:
        with broker_at(private.url):
            private.stop()
            with _connections_to(private.port) as attempts:
                open_decision("ESTABLISH_IRT")  # commits while Redis is down
            # The request is not held up: one try, bounded by a 1 s connect timeout, and no
            # retry (kombu's default would sleep 2 s and try again).
            assert attempts == [1.0]
            assert _rows(webhook).get().state == "PENDING"
            private.start()
            with worker_thread():
                assert sweeps.notifications_requeue() >= 1
                (request,) = receiver.wait_for(1, "/hook")
                wait_until(lambda: _rows(webhook).get().state == "DELIVERED")
    finally:
        private.stop()
    assert request.headers["Idempotency-Key"] == str(_rows(webhook).get().idempotency_key)


def test_worker_killed_mid_delivery_is_delivered_again_with_the_same_key(
    tmp_path, webhook, open_decision, receiver, fast, shared_broker, settings
):
    """At least once: the receiver sees the key twice and keeps one."""
    settings.ALERT_LEASE_SECONDS = 2
    receiver.hold = threading.Event()
    log = tmp_path / "worker.log"
    doomed = worker_process(log, ALERT_LEASE_SECONDS="2")
    try:
        wait_for_line(log, "ready.", doomed)
        open_decision("ESTABLISH_IRT")
        assert receiver.arrived.wait(60), log.read_text()
        doomed.kill()  # SIGKILL while the request is in flight
        doomed.wait(10)
    finally:
        if doomed.poll() is None:
            doomed.kill()
        receiver.hold.set()
    row = _rows(webhook).get()
    assert row.state == "SENDING"
    killed_at = timezone.now()

    def requeued() -> bool:
        sweeps.notifications_requeue()  # a beat tick; takes the row once its lease lapsed
        return _rows(webhook).filter(queued_at__gt=killed_at).exists()

    with worker_thread():
        wait_until(requeued, interval=0.3)
        receiver.wait_for(2, "/hook")
        wait_until(lambda: _rows(webhook).get().state == "DELIVERED")
    assert len(receiver.to("/hook")) == 2
    assert receiver.unique_keys() == {str(row.idempotency_key)}
    outcomes = list(
        DeliveryAttempt.objects.filter(notification=row).values_list("outcome", flat=True)
    )
    assert outcomes == ["ABANDONED", "DELIVERED"]


def test_a_receiver_answering_500_for_a_while_gets_it_with_backoff(
    webhook, open_decision, receiver, fast, shared_broker
):
    receiver.statuses["/hook"] = [500, 500, 500]
    with worker_thread():
        open_decision("ESTABLISH_IRT")
        arrivals = [r.at for r in receiver.wait_for(4, "/hook")]
        wait_until(lambda: _rows(webhook).get().state == "DELIVERED")
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    # Base 0.3 s: each wait is in the upper half of 0.3·2^(n-1) (plus the worker's own time).
    assert gaps[0] >= 0.15 and gaps[1] >= 0.3 and gaps[2] >= 0.6, gaps
    row = _rows(webhook).get()
    outcomes = list(
        DeliveryAttempt.objects.filter(notification=row).values_list("outcome", "status_code")
    )
    assert outcomes == [("TRANSIENT", 500)] * 3 + [("DELIVERED", 200)]
    assert len(receiver.unique_keys()) == 1


@pytest.mark.parametrize("status", [410, 400])
def test_a_gone_receiver_is_not_retried_and_the_next_channel_is_used(
    status, channel, route_to, decision_maker, open_decision, receiver, fast, shared_broker
):
    gone = channel("WEBHOOK", url=receiver.url("/gone"))
    chat = channel("SLACK", url=receiver.url("/slack"))
    route_to(["WEBHOOK", "SLACK"])
    receiver.statuses["/gone"] = [status] * 10
    with worker_thread():
        open_decision("ESTABLISH_IRT")
        receiver.wait_for(1, "/slack")
        # Both rows final: a FAILED row is never claimed again, so no later request can come.
        wait_until(
            lambda: (
                Notification.objects.get(channel=gone).state == "FAILED"
                and Notification.objects.get(channel=chat).state == "DELIVERED"
            )
        )
    assert len(receiver.to("/gone")) == 1
    assert Notification.objects.get(channel=gone).attempts == 1


GRACE = timedelta(seconds=10)


@pytest.mark.parametrize("order", ["one-after-the-other", "the-later-first", "at-once"])
def test_two_beat_sweeps_within_the_grace_period_queue_and_deliver_each_row_once(
    order, webhook, open_decision, receiver, shared_broker, no_enqueue, settings
):
    """The claim of ``notifications_requeue``: a row one sweep queued is not queued again by a
    sweep whose clock reads less than the grace period apart, in whichever order or overlap they
    run. Each sweep is handed its reading of the clock, so nothing depends on how the machine
    schedules them; the worker starts after both, so no claim lapses in between."""
    settings.ALERT_PENDING_GRACE_SECONDS = int(GRACE.total_seconds())
    for _ in range(5):
        open_decision("ESTABLISH_IRT")
    lost_at = timezone.now() - GRACE - timedelta(seconds=1)  # the commit-time messages were lost
    Notification.objects.filter(state="PENDING").update(next_attempt_at=lost_at, queued_at=lost_at)
    assert _rows(webhook).filter(state="PENDING").count() == 5
    pending = Notification.objects.filter(state="PENDING").count()  # with the incident's own
    first = timezone.now()
    last_instant = first + GRACE - timedelta(microseconds=1)
    early = partial(sweeps.notifications_requeue, now=first)
    late = partial(sweeps.notifications_requeue, now=last_instant)
    if order == "at-once":
        counts = _race([early, late])
    else:
        counts = [early(), late()] if order == "one-after-the-other" else [late(), early()]
    assert sum(counts) == pending, counts
    with worker_thread():
        receiver.wait_for(5, "/hook")
        wait_until(lambda: _rows(webhook).filter(state="DELIVERED").count() == 5)
    # One message per row was sent (the sum above), so no later request can come.
    assert len(receiver.to("/hook")) == 5
    assert len(receiver.unique_keys()) == 5


def test_the_sweep_recovers_on_the_next_tick_after_its_database_connection_dies(
    webhook, open_decision, receiver, fast, shared_broker, no_enqueue, monkeypatch
):
    """PostgreSQL restarting under a sweep is simulated by terminating the sweep's backend
    (pg_terminate_backend) mid-sweep: the shared server itself is never restarted."""
    open_decision("ESTABLISH_IRT")
    paused, release, backend = threading.Event(), threading.Event(), []
    original = NotificationQuerySet.redeliverable

    def pausing(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not paused.is_set():
            connection.ensure_connection()
            backend.append(connection.connection.get_backend_pid())
            paused.set()
            release.wait(60)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(NotificationQuerySet, "redeliverable", pausing)
    ticks_done = threading.Semaphore(0)

    def tick_done(sender=None, **kwargs):  # type: ignore[no-untyped-def]
        if getattr(sender, "name", None) == sweep_pending.name:
            ticks_done.release()

    task_postrun.connect(tick_done, weak=False)
    try:
        with worker_thread():
            sweep_pending.delay()
            assert paused.wait(60)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [backend[0]])
            release.set()
            assert ticks_done.acquire(timeout=60)  # that tick ended…
            assert _rows(webhook).get().state == "PENDING"  # …without queueing anything
            sweep_pending.delay()  # the next tick
            receiver.wait_for(1, "/hook")
            wait_until(lambda: _rows(webhook).get().state == "DELIVERED")
    finally:
        task_postrun.disconnect(tick_done)
    assert len(receiver.to("/hook")) == 1
