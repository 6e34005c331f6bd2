"""Delivering one outbox row: claim, send, record the attempt, retry, fall back."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from notifications.models import Channel, DeliveryAttempt, Notification
from notifications.services import delivery

pytestmark = pytest.mark.django_db


def test_a_webhook_row_is_delivered_signed_and_its_attempt_recorded(pushed, receiver):
    row = pushed()
    assert delivery.notification_deliver(pk=row.pk) == "delivered"
    (request,) = receiver.to("/hook")
    timestamp = request.headers["X-ISMS-Timestamp"]
    secret = row.channel.signing_secret
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256)
    assert request.headers["X-ISMS-Signature"] == f"sha256={expected.hexdigest()}"
    assert request.headers["Idempotency-Key"] == str(row.idempotency_key)
    assert request.json()["event"] == "decision.opened"
    row.refresh_from_db()
    assert row.state == "DELIVERED" and row.delivered_at is not None and row.attempts == 1
    attempt = DeliveryAttempt.objects.get(notification=row)
    assert (attempt.outcome, attempt.status_code, attempt.channel_id) == (
        "DELIVERED",
        200,
        row.channel_id,
    )
    assert attempt.duration_ms is not None


def test_a_second_claim_of_a_row_being_sent_gets_nothing(pushed):
    row = pushed()
    assert delivery.notification_claim(pk=row.pk) is not None
    assert delivery.notification_claim(pk=row.pk) is None
    assert delivery.notification_deliver(pk=row.pk) == "skipped"


def test_a_delivered_row_is_never_sent_again(pushed, receiver):
    row = pushed()
    delivery.notification_deliver(pk=row.pk)
    assert delivery.notification_deliver(pk=row.pk) == "skipped"
    assert len(receiver.to("/hook")) == 1


def test_a_500_is_retried_later_with_backoff(pushed, receiver, settings):
    settings.ALERT_RETRY_BASE_SECONDS = 10
    receiver.statuses["/hook"] = [500]
    row = pushed()
    before = timezone.now()
    assert delivery.notification_deliver(pk=row.pk) == "retrying"
    row.refresh_from_db()
    assert row.state == "PENDING" and row.attempts == 1 and "HTTP 500" in row.last_error
    wait = (row.next_attempt_at - before).total_seconds()
    assert 5 <= wait <= 11  # base·2^0 with jitter in its upper half
    assert DeliveryAttempt.objects.get(notification=row).outcome == "TRANSIENT"
    assert delivery.notification_deliver(pk=row.pk) == "skipped"  # not due yet
    with time_machine.travel(row.next_attempt_at + timedelta(seconds=1), tick=False):
        assert delivery.notification_deliver(pk=row.pk) == "delivered"
    assert list(
        DeliveryAttempt.objects.filter(notification=row).values_list("outcome", flat=True)
    ) == ["TRANSIENT", "DELIVERED"]


@pytest.mark.parametrize("status", [400, 404, 410])
def test_a_4xx_fails_the_row_at_once_and_falls_back_to_the_next_channel(
    status, open_decision, decision_maker, route_to, channel, receiver
):
    first = channel("WEBHOOK", url=receiver.url("/gone"))
    second = channel("SLACK", url=receiver.url("/slack"))
    receiver.statuses["/gone"] = [status]
    route_to(["WEBHOOK", "SLACK"])
    open_decision()
    row = Notification.objects.get(channel=first)
    assert row.fallback_channel_ids == [second.pk]
    assert delivery.notification_deliver(pk=row.pk) == "failed-over"
    row.refresh_from_db()
    assert row.state == "FAILED" and row.attempts == 1
    following = Notification.objects.get(channel=second)
    assert following.recipient_id == row.recipient_id and following.fallback_channel_ids == []
    assert delivery.notification_deliver(pk=following.pk) == "delivered"
    assert len(receiver.to("/gone")) == 1 and len(receiver.to("/slack")) == 1


def test_429_and_408_are_transient(pushed, receiver):
    receiver.statuses["/hook"] = [429]
    row = pushed()
    assert delivery.notification_deliver(pk=row.pk) == "retrying"


def test_after_the_last_allowed_attempt_a_transient_error_fails_the_row(pushed, receiver, settings):
    settings.ALERT_MAX_ATTEMPTS = 1
    receiver.statuses["/hook"] = [503]
    row = pushed()
    assert delivery.notification_deliver(pk=row.pk) == "failed"
    assert Notification.objects.get(pk=row.pk).state == "FAILED"


def test_a_disabled_channel_fails_over_without_a_request(pushed, receiver):
    row = pushed()
    Channel.objects.filter(pk=row.channel_id).update(enabled=False)
    assert delivery.notification_deliver(pk=row.pk) == "failed"
    assert receiver.to("/hook") == []


def test_a_lapsed_claim_is_taken_over_and_its_attempt_marked_abandoned(pushed, receiver):
    row = pushed()
    stale = delivery.notification_claim(pk=row.pk)  # a worker that then died
    later = timezone.now() + timedelta(seconds=31)
    with time_machine.travel(later, tick=False):
        assert delivery.notification_deliver(pk=row.pk) == "delivered"
    # The dead worker's late result cannot undo the newer claim's.
    late = delivery.notification_finish(claim=stale, error=None, status=200, duration_ms=1)
    assert late == "lost-claim"
    row.refresh_from_db()
    assert row.state == "DELIVERED" and row.attempts == 2
    outcomes = dict(
        DeliveryAttempt.objects.filter(notification=row).values_list("number", "outcome")
    )
    assert outcomes[2] == "DELIVERED"
    assert len(receiver.unique_keys()) == 1


def test_backoff_grows_exponentially_with_jitter_and_is_capped(settings):
    settings.ALERT_RETRY_BASE_SECONDS = 2
    settings.ALERT_RETRY_MAX_SECONDS = 60
    for attempt, ceiling in [(1, 2), (2, 4), (3, 8), (6, 60), (20, 60)]:
        for _ in range(20):
            assert ceiling / 2 <= delivery.backoff_seconds(attempt) <= ceiling
