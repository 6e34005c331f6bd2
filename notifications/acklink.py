"""The one-click acknowledge link in emails: signed (django.core.signing) and expiring."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "notifications.acknowledge"


def token_for(*, alert_id: int, user_id: int) -> str:
    return signing.dumps({"a": alert_id, "u": user_id}, salt=SALT, compress=True)


def read(token: str) -> tuple[int, int]:
    """(alert id, user id); raises signing.BadSignature (or SignatureExpired, a subclass)."""
    data = signing.loads(token, salt=SALT, max_age=settings.ALERT_ACK_LINK_MAX_AGE_SECONDS)
    return int(data["a"]), int(data["u"])


def absolute(path: str) -> str:
    return settings.ALERT_LINK_BASE_URL.rstrip("/") + path


def ack_url(*, alert_id: int, user_id: int) -> str:
    token = token_for(alert_id=alert_id, user_id=user_id)
    return absolute(reverse("notifications:ack_link", args=[token]))
