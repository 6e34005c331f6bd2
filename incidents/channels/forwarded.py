"""Find the reported mail inside a message forwarded to the reporting mailbox.

Forwarded as an attachment (a message/rfc822 part, or an attached ``.eml``) the original is
taken whole. Forwarded inline, the quoted header block that common mail clients write (Gmail,
Outlook, Apple Mail, Thunderbird; in Japanese and English) gives the original's sender, subject
and date, and the text after it its URLs. Pure functions: bytes in, fields out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime

from incidents import emlparse

ATTACHED, INLINE, NOT_FORWARD = "ATTACHED", "INLINE", "NOT_FORWARD"
MAX_TEXT = 20_000
# The line a client puts above the quoted original.
_MARKERS = re.compile(
    r"^\s*(?:"
    r"-{2,}\s*(?:Forwarded message|Forwarded Message|Original Message|転送されたメッセージ"
    r"|転送メッセージ|元のメッセージ)\s*-{2,}"
    r"|Begin forwarded message\s*:|転送されたメッセージ\s*[:：]"
    r")\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER_LINE = re.compile(r"^\s*\**([^:：\n]{1,20}?)\**\s*[:：]\s*(.*)$")
_NAMES = {
    "from": "sender",
    "差出人": "sender",
    "送信者": "sender",
    "送信元": "sender",
    "subject": "subject",
    "件名": "subject",
    "date": "date",
    "sent": "date",
    "日付": "date",
    "送信日時": "date",
}


class NotAMail(ValueError):
    """The bytes are not an RFC 5322 message."""


@dataclass
class Forward:
    kind: str  # ATTACHED, INLINE or NOT_FORWARD
    forwarder_name: str = ""
    forwarder: str = ""  # the forwarder's address, lower-cased
    message_id: str = ""  # the forwarding message's own Message-ID
    subject: str = ""  # the forwarding message's subject
    original: bytes = b""  # ATTACHED: the reported mail as it was received
    sender: str = ""  # INLINE: the original's From, as quoted
    original_subject: str = ""
    sent_at: datetime | None = None
    text: str = ""  # INLINE: the quoted text; NOT_FORWARD: the message's own text
    urls: list[str] = field(default_factory=list)


def unwrap(raw: bytes) -> Forward:
    """What the forwarder sent and what they forwarded; NotAMail when it is no mail at all."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        name, address = parseaddr(str(message.get("From", "") or ""))
        found = Forward(
            NOT_FORWARD,
            forwarder_name=name[:200],
            forwarder=address.strip().lower()[:320],
            message_id=str(message.get("Message-ID", "") or "").strip()[:998],
            subject=str(message.get("Subject", "") or "")[:998],
        )
    except Exception as exc:  # the parser and header classes raise many things on hostile input
        raise NotAMail(str(exc)[:200]) from exc
    if not found.forwarder or "@" not in found.forwarder:
        raise NotAMail("no sender address")
    text = _text(message)
    original = _attached(message)
    if original:  # the forwarder's own note is the text
        found.kind, found.original, found.text = ATTACHED, original, text[:MAX_TEXT]
        return found
    quoted = _inline(text)
    if quoted is not None:
        found.kind = INLINE
        found.sender, found.original_subject, found.sent_at, found.text = quoted
    else:
        found.text = text[:MAX_TEXT]
    found.urls = _urls(found.text)
    return found


def _attached(message: EmailMessage) -> bytes:
    for part in message.walk():
        if part is message:
            continue
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if hasattr(inner, "as_bytes"):
                return bytes(inner.as_bytes(policy=policy.SMTP))
        name = str(part.get_filename() or "").lower()
        if name.endswith(".eml") and not part.is_multipart():
            payload = part.get_payload(decode=True)
            if payload:
                return bytes(payload)
    return b""


def _outer_parts(message: EmailMessage) -> Iterator[EmailMessage]:
    """The message's own parts, not those of a message attached to it."""
    if message.get_content_type() == "message/rfc822":
        return
    if not message.is_multipart():
        yield message
        return
    for part in message.iter_parts():
        yield from _outer_parts(part)


def _text(message: EmailMessage) -> str:
    plain, html = "", ""
    for part in _outer_parts(message):
        if part.get_filename():
            continue
        try:
            content = part.get_content()
        except Exception:  # noqa: S112 - an undecodable part is skipped
            continue
        if not isinstance(content, str):
            continue
        if part.get_content_type() == "text/plain" and not plain:
            plain = content
        elif part.get_content_type() == "text/html" and not html:
            html = content
    return plain or (emlparse._html_to_text(html) if html else "")


def _inline(text: str) -> tuple[str, str, datetime | None, str] | None:
    marker = _MARKERS.search(text)
    if marker is None:
        return None
    lines = text[marker.end() :].lstrip("\r\n").splitlines()
    fields: dict[str, str] = {}
    index = 0
    for index, line in enumerate(lines[:15]):  # noqa: B007 - the body starts after the block
        cleaned = line.lstrip("> ").strip()
        if not cleaned:
            if fields:
                break
            continue
        match = _HEADER_LINE.match(cleaned)
        key = _NAMES.get(match.group(1).strip().lower()) if match else None
        if key and key not in fields:
            fields[key] = match.group(2).strip()
    if "sender" not in fields and "subject" not in fields:
        return None
    body = "\n".join(lines[index:])[:MAX_TEXT]
    return fields.get("sender", "")[:320], fields.get("subject", "")[:998], None, body


def sent_at(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None


def _urls(text: str) -> list[str]:
    found: list[str] = []
    for url in emlparse._URL.findall(text):
        url = url.rstrip(".,;")
        if url not in found and len(found) < emlparse.MAX_URLS:
            found.append(url)
    return found
