"""The webhook signature: HMAC-SHA256 over ``<timestamp>.<raw body>`` with the source's secret.

A request carries ``X-Alert-Timestamp`` (Unix seconds) and ``X-Alert-Signature``
(``sha256=<lowercase hex>``); the timestamp must lie within the source's replay window of now,
so a captured request cannot be played back later.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from common.errors import DomainError

TIMESTAMP_HEADER = "X-Alert-Timestamp"
SIGNATURE_HEADER = "X-Alert-Signature"
PREFIX = "sha256="


class Unauthenticated(DomainError):
    """The request does not prove it comes from the source (HTTP 401); nothing is stored."""

    status_code = 401


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return PREFIX + mac.hexdigest()


def verify(
    *, secret: str, timestamp: str, signature: str, body: bytes, now: datetime, window: int
) -> None:
    """Raise Unauthenticated unless the signature is right and the timestamp is fresh."""
    if not timestamp or not signature:
        raise Unauthenticated("signature_missing", _("The request is not signed."))
    if not hmac.compare_digest(sign(secret, timestamp, body), signature.strip().lower()):
        raise Unauthenticated("signature_invalid", _("The signature does not match."))
    try:
        sent = int(timestamp)
    except ValueError:
        raise Unauthenticated("timestamp_invalid", _("The timestamp is not a number.")) from None
    if abs(now.timestamp() - sent) > window:
        raise Unauthenticated(
            "timestamp_outside_window",
            _("The timestamp is too far from now: the request may be a replay."),
        )
