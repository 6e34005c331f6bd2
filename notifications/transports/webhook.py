"""Generic webhook: the alert as JSON, signed with HMAC-SHA256 over timestamp and body.

The receiver verifies ``X-ISMS-Signature: sha256=<hex>`` = HMAC(secret, "<timestamp>." + body)
with the ``X-ISMS-Timestamp`` header (see docs/api.md, "Webhooks"), and drops a repeated
``Idempotency-Key``: a delivery may arrive twice after a worker died mid-request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from notifications.models import Notification
from notifications.transports.base import Message, Transport, post_json


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def signed_headers(notification: Notification, secret: str, body: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    return {
        "Idempotency-Key": str(notification.idempotency_key),
        "X-ISMS-Event": notification.alert.event,
        "X-ISMS-Timestamp": timestamp,
        "X-ISMS-Signature": signature(secret, timestamp, body),
    }


class WebhookTransport(Transport):
    def body(self, message: Message) -> bytes:
        return json.dumps(message.document, ensure_ascii=False, sort_keys=True).encode()

    def notify(self, notification: Notification, message: Message) -> int:
        body = self.body(message)
        headers = signed_headers(notification, self.channel.signing_secret, body)
        return post_json(self.channel.url, body, headers)
