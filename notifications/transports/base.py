"""What every transport shares: the rendered message, the error type, the HTTP POST."""

from __future__ import annotations

import http.client
import socket
import ssl
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from notifications import netguard
from notifications.models import Channel, Notification

USER_AGENT = "isms-csirt-alerts/1"
RETRY_STATUSES = frozenset({408, 425, 429})


class TransportError(Exception):
    """A delivery failed. ``permanent``: retrying cannot help (4xx, invalid address)."""

    def __init__(self, message: str, *, permanent: bool = False, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status


@dataclass(frozen=True)
class Message:
    """An alert rendered for one recipient, in their language."""

    subject: str
    text: str
    html: str
    link: str  # the page to open in the app
    ack_link: str  # the signed one-click link; empty when no acknowledgement is needed
    open_label: str = "Open"  # the link's label, translated
    lines: list[str] = field(default_factory=list)  # the facts, one per line (chat messages)
    document: dict[str, Any] = field(default_factory=dict)  # the signed webhook's JSON body


class Transport(ABC):
    """Delivers a notification over one channel; raises TransportError on failure."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel

    @abstractmethod
    def notify(self, notification: Notification, message: Message) -> int | None:
        """Send; returns the HTTP status for HTTP transports."""


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address netguard checked, whatever the name resolves to now."""

    def __init__(self, target: netguard.Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: netguard.Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post_json(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body`` to a checked URL; 2xx returns the status, anything else raises."""
    try:
        target = netguard.resolve(url)
    except netguard.UnsafeUrl as exc:
        raise TransportError(f"refused target: {exc}", permanent=True) from exc
    except OSError as exc:
        raise TransportError(f"name resolution failed: {exc}") from exc
    timeout = settings.ALERT_HTTP_TIMEOUT_SECONDS
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    conn = kind(target, timeout)
    all_headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers}
    try:
        conn.request("POST", target.path, body=body, headers=all_headers)
        response = conn.getresponse()
        detail = response.read(300).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as exc:
        raise TransportError(f"connection failed: {exc!r}") from exc
    finally:
        conn.close()
    raise_for_status(response.status, detail)
    return response.status


def raise_for_status(status: int, detail: str = "") -> None:
    if 200 <= status < 300:
        return
    message = f"HTTP {status}: {detail.strip()[:200]}".strip()
    transient = status >= 500 or status in RETRY_STATUSES
    # 3xx too is permanent: redirects are never followed (they could lead anywhere).
    raise TransportError(message, permanent=not transient, status=status)
