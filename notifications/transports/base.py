"""What every transport shares: the rendered message, the error type, the HTTP POST."""

from __future__ import annotations

import http.client
import os
import select
import socket
import ssl
import threading
import time
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

    # Whether it sends the mail's text and HTML bodies (rendered only for the transports that do).
    bodies = False

    def __init__(self, channel: Channel) -> None:
        self.channel = channel

    @abstractmethod
    def notify(self, notification: Notification, message: Message) -> int | None:
        """Send; returns the HTTP status for HTTP transports."""


def _connect(address: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection without Nagle's delay: http.client writes the headers and the body of a
    request apart, and on a kept-alive connection the body would wait for the receiver's delayed
    ACK (about 40 ms a request on Linux)."""
    sock = socket.create_connection((address, port), timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address netguard checked, whatever the name resolves to now."""

    def __init__(self, target: netguard.Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = _connect(self._address, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: netguard.Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self) -> None:
        sock = _connect(self._address, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


# Keep-alive: this process's idle connections per checked target (scheme, host, port and the
# address connected to), so a worker's next alert to the same receiver skips the TCP and TLS
# handshakes. A connection is taken out while one delivery uses it (threads of a process never
# share one) and put back only after a complete response the server did not close; a forked
# worker process starts with its own (empty after fork: see _forget_after_fork).
_IDLE: dict[tuple[str, str, int, str], list[tuple[float, http.client.HTTPConnection]]] = {}
_IDLE_LOCK = threading.Lock()
IDLE_PER_TARGET = 4
IDLE_SECONDS = 30.0  # an idle connection older than this is closed, not reused
# What a reused connection raises when the server had closed it while it was idle: the request
# is sent once more on a new connection (the receiver drops a repeated Idempotency-Key anyway).
STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


def _forget_after_fork() -> None:
    global _IDLE_LOCK
    _IDLE.clear()  # the parent's sockets are not this process's to use
    _IDLE_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def _dropped(conn: http.client.HTTPConnection) -> bool:
    """True when the server closed (or wrote on) an idle connection: it cannot be reused."""
    sock = conn.sock
    if sock is None:
        return True
    try:
        readable, _w, _x = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _checkout(key: tuple[str, str, int, str]) -> http.client.HTTPConnection | None:
    now = time.monotonic()
    with _IDLE_LOCK:
        idle = _IDLE.get(key, [])
        while idle:
            since, conn = idle.pop()
            if now - since < IDLE_SECONDS and not _dropped(conn):
                return conn
            conn.close()
    return None


def _checkin(key: tuple[str, str, int, str], conn: http.client.HTTPConnection) -> None:
    with _IDLE_LOCK:
        idle = _IDLE.setdefault(key, [])
        if len(idle) < IDLE_PER_TARGET:
            idle.append((time.monotonic(), conn))
            return
    conn.close()


def close_idle_connections() -> None:
    """Close every kept-alive connection of this process (tests; a worker shutting down)."""
    with _IDLE_LOCK:
        idle = [conn for conns in _IDLE.values() for _since, conn in conns]
        _IDLE.clear()
    for conn in idle:
        conn.close()


def _exchange(
    conn: http.client.HTTPConnection, path: str, body: bytes, headers: dict[str, str]
) -> tuple[int, str, bool]:
    """(status, the start of the body, whether the connection may be reused)."""
    conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    detail = response.read(300).decode("utf-8", "replace")
    if not response.isclosed():
        response.read(64 * 1024)  # the rest of a short body, so the connection can be reused
    return response.status, detail, response.isclosed() and not response.will_close


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
    key = (target.scheme, target.host, target.port, target.address)
    all_headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers}
    conn = _checkout(key)
    reusable = False
    try:
        if conn is not None:
            try:
                status, detail, reusable = _exchange(conn, target.path, body, all_headers)
            except STALE:
                conn.close()
                conn = None  # closed by the server while idle: once more on a new connection
        if conn is None:
            conn = kind(target, timeout)
            status, detail, reusable = _exchange(conn, target.path, body, all_headers)
    except (OSError, http.client.HTTPException) as exc:
        raise TransportError(f"connection failed: {exc!r}") from exc
    finally:
        if conn is not None:
            if reusable:
                _checkin(key, conn)
            else:
                conn.close()
    raise_for_status(status, detail)
    return status


def raise_for_status(status: int, detail: str = "") -> None:
    if 200 <= status < 300:
        return
    message = f"HTTP {status}: {detail.strip()[:200]}".strip()
    transient = status >= 500 or status in RETRY_STATUSES
    # 3xx too is permanent: redirects are never followed (they could lead anywhere).
    raise TransportError(message, permanent=not transient, status=status)
