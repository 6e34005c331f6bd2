"""What one delivery costs (issue 20): kept-alive connections, only the parts a transport sends,
five statements a row, and a burst's rows queued several to a message, each still claimed with
its own lease just before its send."""

from __future__ import annotations

import socket
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import messages
from notifications.models import DeliveryAttempt, Notification
from notifications.services import delivery, outbox
from notifications.transports import base
from tests.notifications.receiver import start_receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_alive():
    running = start_receiver(keep_alive=True)
    yield running
    base.close_idle_connections()
    running.stop()


@pytest.fixture
def rows(open_decision, decision_maker, deputy, route_to, channel):
    """rows(receiver, n): n decision alerts' webhook rows to the receiver, pending."""

    def _rows(receiver, n):
        made = channel("WEBHOOK", url=receiver.url("/hook"))
        route_to(["WEBHOOK"])
        with mock.patch.object(outbox, "enqueue", lambda ids, **kw: True):
            for _ in range(n):
                open_decision()
        return list(Notification.objects.filter(channel=made).order_by("pk"))

    return _rows


def test_a_worker_sends_its_next_alert_on_the_connection_of_the_previous_one(rows, keep_alive):
    made = rows(keep_alive, 3)
    for row in made:
        assert delivery.notification_deliver(pk=row.pk) == "delivered"
    received = keep_alive.to("/hook")
    assert len(received) == 3
    assert len({r.peer for r in received}) == 1  # one TCP connection for the three


def test_a_receiver_that_closes_after_each_answer_gets_a_new_connection_each_time(rows, receiver):
    made = rows(receiver, 2)
    for row in made:
        assert delivery.notification_deliver(pk=row.pk) == "delivered"
    assert len({r.peer for r in receiver.to("/hook")}) == 2


def test_a_kept_alive_connection_the_receiver_closed_is_not_reused(rows, keep_alive):
    first, second = rows(keep_alive, 2)
    delivery.notification_deliver(pk=first.pk)
    ((_since, conn),) = next(iter(base._IDLE.values()))
    conn.sock.shutdown(2)  # as if the receiver had closed it while idle
    with mock.patch.object(base, "_exchange", wraps=base._exchange) as exchange:
        assert delivery.notification_deliver(pk=second.pk) == "delivered"
    assert exchange.call_count == 1  # seen closed before use: straight to a new connection
    assert len({r.peer for r in keep_alive.to("/hook")}) == 2


def test_a_connection_to_a_receiver_sends_without_nagle_s_delay(rows, keep_alive):
    """http.client writes a request's headers and body apart: with Nagle's algorithm the body
    of a request on a kept-alive connection would wait for the receiver's delayed ACK."""
    (row,) = rows(keep_alive, 1)
    delivery.notification_deliver(pk=row.pk)
    ((_since, conn),) = next(iter(base._IDLE.values()))
    assert conn.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_an_alert_sent_on_a_connection_closed_meanwhile_goes_again_on_a_new_one(
    rows, keep_alive, monkeypatch
):
    """The check before reuse can miss a close racing it: the request is sent once more, on a
    new connection, with the same Idempotency-Key."""
    first, second = rows(keep_alive, 2)
    delivery.notification_deliver(pk=first.pk)
    ((_since, conn),) = next(iter(base._IDLE.values()))
    conn.sock.shutdown(2)
    monkeypatch.setattr(base, "_dropped", lambda conn: False)
    assert delivery.notification_deliver(pk=second.pk) == "delivered"
    second.refresh_from_db()
    assert second.state == "DELIVERED" and second.attempts == 1
    assert keep_alive.to("/hook")[-1].headers["Idempotency-Key"] == str(second.idempotency_key)


def test_a_webhook_delivery_renders_no_mail_text_or_html(rows, receiver):
    (row,) = rows(receiver, 1)
    with mock.patch.object(messages, "render_to_string", wraps=messages.render_to_string) as r:
        assert delivery.notification_deliver(pk=row.pk) == "delivered"
    assert r.call_count == 0
    body = receiver.to("/hook")[0].json()
    assert body["subject"] and body["text"] and body["link"]


def test_a_first_delivery_runs_five_statements(rows, receiver):
    """Claim, read the row with its alert, recipient and channel, open the attempt; then the
    attempt's result and the row's. A first claim has no lapsed attempt to mark."""
    (row,) = rows(receiver, 1)
    with CaptureQueriesContext(connection) as queries:
        assert delivery.notification_deliver(pk=row.pk) == "delivered"
    statements = [
        q["sql"].split()[0]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT"))
    ]
    assert statements == ["UPDATE", "SELECT", "INSERT", "UPDATE", "UPDATE"]


def test_a_burst_is_queued_ten_rows_to_a_message(settings):
    settings.ALERT_DELIVERY_BATCH = 10
    with (
        mock.patch("notifications.tasks.deliver.apply_async") as one,
        mock.patch("notifications.tasks.deliver_many.apply_async") as many,
    ):
        assert outbox.enqueue(list(range(1, 26)))
    assert [call.args[0][0] for call in many.call_args_list] == [
        list(range(1, 11)),
        list(range(11, 21)),
        list(range(21, 26)),
    ]
    assert one.call_count == 0
    with mock.patch("notifications.tasks.deliver.apply_async") as one:
        assert outbox.enqueue([7], countdown=3)
    one.assert_called_once_with((7,), countdown=3)


def test_each_row_of_a_message_is_claimed_only_when_its_turn_comes(rows, receiver):
    made = rows(receiver, 3)
    leases = []
    send = delivery.notification_deliver

    def watching(*, pk):
        states = dict(
            Notification.objects.filter(pk__in=[r.pk for r in made]).values_list("pk", "state")
        )
        leases.append([states[r.pk] for r in made])
        return send(pk=pk)

    with mock.patch.object(delivery, "notification_deliver", watching):
        result = delivery.notifications_deliver(pks=[r.pk for r in made], budget=60)
    assert result == ["delivered"] * 3
    # Before each row's turn, the rows after it are still PENDING (not claimed ahead).
    assert leases == [
        ["PENDING", "PENDING", "PENDING"],
        ["DELIVERED", "PENDING", "PENDING"],
        ["DELIVERED", "DELIVERED", "PENDING"],
    ]


def test_rows_of_a_message_not_started_within_the_budget_are_queued_again_unclaimed(rows, receiver):
    made = rows(receiver, 3)
    with mock.patch.object(delivery, "enqueue") as again:
        result = delivery.notifications_deliver(pks=[r.pk for r in made], budget=0)
    assert result == ["delivered", "requeued", "requeued"]  # the first always goes
    again.assert_called_once_with([made[1].pk, made[2].pk])
    states = Notification.objects.filter(pk__in=[made[1].pk, made[2].pk])
    assert set(states.values_list("state", "attempts")) == {("PENDING", 0)}
    assert not DeliveryAttempt.objects.filter(notification__in=made[1:]).exists()
