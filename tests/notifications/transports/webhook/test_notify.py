"""The generic webhook: signed JSON, the documented verification, error classification."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from notifications import messages
from notifications.models import Channel
from notifications.transports import TransportError
from notifications.transports.webhook import WebhookTransport, signature

pytestmark = pytest.mark.django_db


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What docs/api.md tells a receiver to do."""
    signed = headers["X-ISMS-Timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-ISMS-Signature"])


def test_the_request_verifies_with_the_secret_shown_at_creation(pushed, receiver):
    row = pushed("WEBHOOK")
    status = WebhookTransport(row.channel).notify(row, messages.render(row))
    assert status == 200
    (request,) = receiver.to("/hook")
    secret = Channel.objects.get(pk=row.channel_id).signing_secret
    assert verify(secret, request.headers, request.body)
    assert not verify("another-secret", request.headers, request.body)
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-ISMS-Event"] == "decision.opened"


def test_the_body_names_the_alert_recipient_and_incident(pushed, receiver, incident):
    row = pushed("WEBHOOK")
    WebhookTransport(row.channel).notify(row, messages.render(row))
    body = receiver.to("/hook")[0].json()
    assert body["id"] == str(row.idempotency_key)
    assert body["alert"] == row.alert_id and body["step"] == 0
    assert body["incident"]["ref"] == incident.ref
    assert body["recipient"]["username"] == "president"
    assert body["needs_ack"] is True and body["ack_due_at"]
    assert body["data"]["type"] == "ACTIVATE_CYBER_BCP"
    assert "/notifications/ack/" not in json.dumps(body)  # no signed link over a shared channel


@pytest.mark.parametrize(
    ("status", "permanent"),
    [
        (500, False),
        (502, False),
        (503, False),
        (429, False),
        (408, False),
        (400, True),
        (401, True),
        (403, True),
        (404, True),
        (410, True),
        (301, True),
    ],
)
def test_errors_are_classified_transient_or_permanent(pushed, receiver, status, permanent):
    receiver.statuses["/hook"] = [status]
    row = pushed("WEBHOOK")
    with pytest.raises(TransportError) as caught:
        WebhookTransport(row.channel).notify(row, messages.render(row))
    assert caught.value.permanent is permanent
    assert caught.value.status == status


def test_a_closed_port_is_a_transient_error(pushed, receiver):
    row = pushed("WEBHOOK")
    receiver.stop()
    with pytest.raises(TransportError) as caught:
        WebhookTransport(row.channel).notify(row, messages.render(row))
    assert caught.value.permanent is False


def test_a_target_refused_at_send_time_is_permanent(pushed, settings):
    row = pushed("WEBHOOK")
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = False  # e.g. the setting was turned off since
    with pytest.raises(TransportError) as caught:
        WebhookTransport(row.channel).notify(row, messages.render(row))
    assert caught.value.permanent is True


def test_signature_is_hmac_sha256_of_timestamp_dot_body():
    expected = hmac.new(b"k", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert signature("k", "1700000000", b"{}") == f"sha256={expected}"
