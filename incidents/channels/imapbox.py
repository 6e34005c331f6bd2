"""The IMAP side of the reporting mailbox, through IMAPClient (UID commands only).

Messages are read with BODY.PEEK (nothing is marked on the server by reading) and moved with
MOVE, or COPY + \\Deleted + UID EXPUNGE where the server lacks MOVE.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from incidents.models.mailbox import MailSecurity, ReportingMailbox

TIMEOUT_SECONDS = 30
BATCH = 50  # messages taken per poll; the next poll takes the rest
LOOPBACK = {"localhost", "127.0.0.1", "::1"}
# What the poll reports as the mailbox's last error when the server cannot be used.
ERRORS = (IMAPClientError, OSError, socket.timeout, ssl.SSLError)
__all__ = ["ERRORS", "IMAPClientError", "LoginError", "session", "ssl"]


@dataclass(frozen=True)
class Listing:
    uidvalidity: int
    uids: list[int]


class Box:
    """One session on the mailbox: list, measure, read and move messages by UID."""

    def __init__(self, client: IMAPClient, mailbox: ReportingMailbox) -> None:
        self.client = client
        self.mailbox = mailbox

    def listing(self) -> Listing:
        selected = self.client.select_folder(self.mailbox.folder)
        uids = sorted(self.client.search(["UNDELETED"]))
        return Listing(int(selected[b"UIDVALIDITY"]), uids[:BATCH])

    def size(self, uid: int) -> int:
        data = self.client.fetch([uid], ["RFC822.SIZE"]).get(uid, {})
        return int(data.get(b"RFC822.SIZE", 0))

    def headers(self, uid: int) -> bytes:
        data = self.client.fetch([uid], ["BODY.PEEK[HEADER]"]).get(uid, {})
        return bytes(data.get(b"BODY[HEADER]", b""))

    def read(self, uid: int) -> bytes:
        data = self.client.fetch([uid], ["BODY.PEEK[]"]).get(uid, {})
        return bytes(data.get(b"BODY[]", b""))

    def move(self, uid: int, folder: str) -> None:
        if not self.client.folder_exists(folder):
            self.client.create_folder(folder)
        if self.client.has_capability("MOVE"):
            self.client.move([uid], folder)
            return
        self.client.copy([uid], folder)
        self.client.add_flags([uid], [b"\\Deleted"])
        if self.client.has_capability("UIDPLUS"):
            self.client.uid_expunge([uid])
        else:
            self.client.expunge()


@contextmanager
def session(mailbox: ReportingMailbox, password: str) -> Iterator[Box]:
    context = ssl.create_default_context()
    secure = mailbox.security == MailSecurity.TLS
    client = IMAPClient(
        mailbox.host,
        port=mailbox.port,
        ssl=secure,
        ssl_context=context if secure else None,
        timeout=TIMEOUT_SECONDS,
    )
    try:
        if mailbox.security == MailSecurity.STARTTLS:
            client.starttls(context)
        client.login(mailbox.username, password)
        yield Box(client, mailbox)
    finally:
        with suppress(Exception):  # the session is over either way
            client.logout()
