"""The outbox: rows written in the caller's transaction, queued for delivery after commit.

Queueing never blocks a request for more than the broker's connection timeout (1 s): the first
failure opens a short circuit, and the rows wait for the redelivery sweep instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from kombu.exceptions import KombuError, OperationalError

from accounts.models import User
from notifications.enums import ChannelKind, DeliveryState
from notifications.models import Alert, Channel, Notification
from notifications.transports import TransportError
from notifications.transports.inapp import InAppTransport

log = logging.getLogger(__name__)
# When the broker last refused a message, publishing is skipped until this moment.
_broker_down_until = 0.0
BROKER_ERRORS = (OperationalError, KombuError, ConnectionError, OSError, TimeoutError)


def batches(ids: list[int], size: int) -> list[list[int]]:
    """``ids`` in messages of at most ``size`` rows (at least 1)."""
    size = max(1, size)
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def enqueue(ids: Iterable[int], *, countdown: float | None = None) -> bool:
    """Send the rows' deliver messages, up to ALERT_DELIVERY_BATCH rows a message (a burst of
    1 000 rows is 100 messages, each worker task sends its rows in turn); False (and the
    sweep's job) when the broker is down."""
    global _broker_down_until
    from notifications.tasks import deliver, deliver_many

    if time.monotonic() < _broker_down_until:
        return False
    try:
        for batch in batches(list(ids), settings.ALERT_DELIVERY_BATCH):
            if len(batch) == 1:
                deliver.apply_async((batch[0],), countdown=countdown)
            else:
                deliver_many.apply_async((batch,), countdown=countdown)
    except BROKER_ERRORS as exc:
        _broker_down_until = time.monotonic() + settings.ALERT_BROKER_BACKOFF_SECONDS
        log.warning("alerts: broker unavailable (%r); the sweep will deliver", exc)
        return False
    return True


def enqueue_on_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(partial(enqueue, ids))


@dataclass(frozen=True)
class Route:
    """How one recipient gets an alert: channel kinds in order, or all of them at once."""

    kinds: tuple[str, ...]
    every_channel: bool = False

    def merge(self, other: Route) -> Route:
        kinds = self.kinds + tuple(k for k in other.kinds if k not in self.kinds)
        return Route(kinds, self.every_channel or other.every_channel)


def plan(route: Route, channels: list[Channel]) -> list[tuple[Channel, list[int]]]:
    """The pushed rows for a route: each channel with the ids to fall back to, in order."""
    ordered = [
        channel
        for kind in route.kinds
        if kind != ChannelKind.IN_APP
        for channel in channels
        if channel.kind == kind and channel.enabled
    ]
    if route.every_channel:
        return [(channel, []) for channel in ordered]
    if not ordered:
        return []
    return [(ordered[0], [c.pk for c in ordered[1:]])]


def notifications_write(
    *,
    alert: Alert,
    recipients: list[tuple[User, Route]],
    channels: list[Channel],
    step: int,
    now: datetime,
    send_at: datetime,
) -> list[Notification]:
    """The in-app row (delivered by this commit) and the pushed rows of each recipient."""
    in_app = next((c for c in channels if c.kind == ChannelKind.IN_APP and c.enabled), None)
    rows: list[Notification] = []
    for user, route in recipients:
        if in_app is not None:
            rows.append(_in_app_row(alert, user, in_app, step, now))
        for channel, fallback in plan(route, channels):
            rows.append(
                Notification(
                    alert=alert,
                    organisation_id=alert.organisation_id,
                    recipient=user,
                    channel=channel,
                    step=step,
                    fallback_channel_ids=fallback,
                    next_attempt_at=send_at,
                    queued_at=send_at,
                    created_at=now,
                )
            )
    written = Notification.objects.bulk_create(rows)
    due = [n.pk for n in written if n.state == DeliveryState.PENDING and n.next_attempt_at <= now]
    enqueue_on_commit(due)
    return written


def _in_app_row(
    alert: Alert, user: User, channel: Channel, step: int, now: datetime
) -> Notification:
    row = Notification(
        alert=alert,
        organisation_id=alert.organisation_id,
        recipient=user,
        channel=channel,
        step=step,
        state=DeliveryState.DELIVERED,
        delivered_at=now,
        next_attempt_at=now,
        created_at=now,
    )
    try:
        InAppTransport.check(user)
    except TransportError as exc:
        row.state, row.delivered_at, row.last_error = DeliveryState.FAILED, None, exc.message
    return row
