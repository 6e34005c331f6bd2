"""Delivering one outbox row: claim, send outside any transaction, record, retry or fall back.

The claim is a conditional UPDATE (PENDING and due, or SENDING with a lapsed lease → SENDING
with a new lease); a worker that updated 0 rows does nothing. The result is written only while
the claim is still held (``attempts`` unchanged), so a late worker cannot undo a newer one.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet

from common import clock
from notifications import messages
from notifications.enums import AttemptOutcome, DeliveryState
from notifications.models import Channel, DeliveryAttempt, Notification
from notifications.services.outbox import enqueue
from notifications.transports import TransportError, transport_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    notification: Notification
    attempt: DeliveryAttempt


def backoff_seconds(attempt: int) -> float:
    """Exponential with full jitter, capped: base·2^(n-1) at most, never over the cap."""
    ceiling = min(
        settings.ALERT_RETRY_MAX_SECONDS, settings.ALERT_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - jitter, not a secret


@transaction.atomic
def notification_claim(*, pk: int, now: datetime | None = None) -> Claim | None:
    now = now or clock.now()
    lease = now + timedelta(seconds=settings.ALERT_LEASE_SECONDS)
    claimed = (
        Notification.objects.claimable(now)
        .filter(pk=pk)
        .update(state=DeliveryState.SENDING, lease_until=lease, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    notification = Notification.objects.select_related(
        "alert__organisation", "recipient", "channel"
    ).get(pk=pk)
    # A previous claim that lapsed: its worker died (or hung) mid-delivery. The first claim of a
    # row has no previous attempt, so it skips the query.
    if notification.attempts > 1:
        DeliveryAttempt.objects.filter(
            notification=notification, outcome=AttemptOutcome.IN_PROGRESS
        ).update(outcome=AttemptOutcome.ABANDONED, error="the claim lapsed (worker lost)")
    attempt = DeliveryAttempt.objects.create(
        notification=notification,
        number=notification.attempts,
        channel=notification.channel,
        started_at=now,
    )
    return Claim(notification, attempt)


def notification_deliver(*, pk: int) -> str:
    """Deliver one row if it can be claimed; returns what happened (for logs and tests)."""
    claim = notification_claim(pk=pk)
    if claim is None:
        return "skipped"
    notification = claim.notification
    started = time.monotonic()
    error: TransportError | None = None
    status: int | None = None
    try:
        if not notification.channel.enabled:
            raise TransportError("the channel is disabled", permanent=True)
        transport = transport_for(notification.channel)
        status = transport.notify(
            notification, messages.render(notification, bodies=transport.bodies)
        )
    except TransportError as exc:
        error = exc
    except SoftTimeLimitExceeded:
        error = TransportError("the delivery took too long")
    duration = int((time.monotonic() - started) * 1000)
    return notification_finish(claim=claim, error=error, status=status, duration_ms=duration)


def notifications_deliver(*, pks: list[int], budget: float) -> list[str]:
    """Deliver a few rows one after another (one task, one message for all of them), each
    claimed only just before it is sent, so each keeps its own lease as ``notification_deliver``
    does. Past ``budget`` seconds the rows not yet claimed are queued again instead: the task
    ends before its time limit, and a row is never claimed by a task about to be stopped. The
    first row always goes, so every message makes progress."""
    started = time.monotonic()
    done: list[str] = []
    for index, pk in enumerate(pks):
        if index and time.monotonic() - started > budget:
            left = pks[index:]
            enqueue(left)  # PENDING and untouched: the sweep takes them if this fails
            return [*done, *["requeued"] * len(left)]
        done.append(notification_deliver(pk=pk))
    return done


@transaction.atomic
def notification_finish(
    *, claim: Claim, error: TransportError | None, status: int | None, duration_ms: int
) -> str:
    now = clock.now()
    notification, attempt = claim.notification, claim.attempt
    held = Notification.objects.filter(
        pk=notification.pk, state=DeliveryState.SENDING, attempts=attempt.number
    )
    outcome = _outcome(error, attempt.number)
    DeliveryAttempt.objects.filter(pk=attempt.pk).update(
        outcome=outcome,
        status_code=error.status if error else status,
        error=error.message[:500] if error else "",
        duration_ms=duration_ms,
    )
    if outcome == AttemptOutcome.DELIVERED:
        if not held.update(
            state=DeliveryState.DELIVERED, delivered_at=now, lease_until=None, last_error=""
        ):
            return "lost-claim"  # a newer claim took over; it decides the row's state
        return "delivered"
    assert error is not None
    if outcome == AttemptOutcome.TRANSIENT:
        return _retry_later(held, notification, error, now)
    return _fail_over(held, notification, error, now)


def _outcome(error: TransportError | None, number: int) -> str:
    if error is None:
        return AttemptOutcome.DELIVERED
    if error.permanent or number >= settings.ALERT_MAX_ATTEMPTS:
        return AttemptOutcome.PERMANENT
    return AttemptOutcome.TRANSIENT


def _retry_later(
    held: QuerySet[Notification], notification: Notification, error: TransportError, now: datetime
) -> str:
    delay = backoff_seconds(notification.attempts)
    if not held.update(
        state=DeliveryState.PENDING,
        next_attempt_at=now + timedelta(seconds=delay),
        queued_at=now,
        lease_until=None,
        last_error=error.message[:500],
    ):
        return "lost-claim"
    # Short backoffs come back as a delayed message; the sweep covers a lost one.
    transaction.on_commit(lambda: enqueue([notification.pk], countdown=delay))
    return "retrying"


def _fail_over(
    held: QuerySet[Notification], notification: Notification, error: TransportError, now: datetime
) -> str:
    """Mark the row failed and hand the alert to the recipient's next channel, if any."""
    if not held.update(
        state=DeliveryState.FAILED, lease_until=None, last_error=error.message[:500]
    ):
        return "lost-claim"
    log.warning(
        "alerts: notification %s failed on %s: %s",
        notification.pk,
        notification.channel,
        error.message,
    )
    remaining = list(notification.fallback_channel_ids)
    enabled = {c.pk: c for c in Channel.objects.filter(pk__in=remaining, enabled=True)}
    remaining = [pk for pk in remaining if pk in enabled]
    if not remaining:
        return "failed"
    following = Notification.objects.create(
        alert_id=notification.alert_id,
        organisation_id=notification.organisation_id,
        recipient_id=notification.recipient_id,
        channel=enabled[remaining[0]],
        step=notification.step,
        fallback_channel_ids=remaining[1:],
        next_attempt_at=now,
        queued_at=now,
        created_at=now,
    )
    transaction.on_commit(lambda: enqueue([following.pk]))
    return "failed-over"
