"""A local HTTP receiver for webhook tests: http.server in a thread on 127.0.0.1.

It records every request (headers, body, arrival time), answers with the statuses it is told
to (per path, in order, then 200), can hold a request open until released, and drops repeated
``Idempotency-Key`` values the way a careful receiver would.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    peer: int = 0  # the sender's port: one per connection

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    server: ThreadingHTTPServer
    requests: list[Received] = field(default_factory=list)
    statuses: dict[str, list[int]] = field(default_factory=dict)
    hold: threading.Event | None = None  # set: requests wait until it is released
    arrived: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def to(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def unique_keys(self, path: str = "/hook") -> set[str]:
        return {r.headers.get("Idempotency-Key", "") for r in self.to(path)}

    def wait_for(self, count: int, path: str | None = None, timeout: float = 60) -> list[Received]:
        """The requests so far, once there are ``count`` of them (to ``path``)."""
        deadline = time.monotonic() + timeout
        while len(got := self.to(path) if path else list(self.requests)) < count:
            assert time.monotonic() < deadline, f"got {len(got)} of {count} requests in {timeout}s"
            time.sleep(0.05)
        return got

    def stop(self) -> None:
        if self.hold is not None:
            self.hold.set()
        self.server.shutdown()
        self.server.server_close()


def start_receiver(*, keep_alive: bool = False) -> Receiver:
    """``keep_alive``: answers HTTP/1.1 and keeps the connection open for the next request (the
    default, HTTP/1.0, closes it after each answer)."""
    receiver: Receiver

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with receiver.lock:
                receiver.requests.append(
                    Received(
                        self.path,
                        dict(self.headers.items()),
                        body,
                        time.monotonic(),
                        self.client_address[1],
                    )
                )
                queue = receiver.statuses.get(self.path, [])
                status = queue.pop(0) if queue else 200
            receiver.arrived.set()
            if receiver.hold is not None:
                receiver.hold.wait(60)
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok" if status < 400 else b"no")

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver = Receiver(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver
