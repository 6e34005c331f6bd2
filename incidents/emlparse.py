"""Read the indicators out of an uploaded .eml. A file that does not parse is still kept."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from html import unescape

_URL = re.compile(r"https?://[^\s<>\"')]+", re.IGNORECASE)
MAX_URLS = 20


@dataclass
class ParsedMail:
    sender: str = ""
    subject: str = ""
    message_id: str = ""
    urls: list[str] = field(default_factory=list)
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (name, sha256)


class EmlError(ValueError):
    """The upload is not an RFC 5322 message at all (it is kept as a file anyway)."""


def parse_eml(data: bytes) -> ParsedMail:
    """Parse raw RFC 5322 bytes; raise EmlError when it is not a mail at all."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
    except Exception as exc:  # the parser can raise many things on hostile input
        raise EmlError(str(exc)[:200]) from exc
    if not any(message.get(h) for h in ("From", "Subject", "Message-ID")):
        raise EmlError("no From, Subject or Message-ID header")
    parsed = ParsedMail(
        sender=_header(message, "From"),
        subject=_header(message, "Subject"),
        message_id=_header(message, "Message-ID"),
    )
    for part in message.walk():
        _read_part(part, parsed)
    return parsed


def _header(message, name: str) -> str:  # type: ignore[no-untyped-def]
    try:
        return str(message.get(name, "") or "")[:998]
    except Exception:  # a malformed encoded word
        return ""


def _read_part(part, parsed: ParsedMail) -> None:  # type: ignore[no-untyped-def]
    if part.is_multipart():
        return
    try:
        payload = part.get_payload(decode=True) or b""
    except Exception:
        return
    filename = part.get_filename()
    if filename or part.get_content_disposition() == "attachment":
        parsed.attachments.append((str(filename or "")[:255], hashlib.sha256(payload).hexdigest()))
        return
    if part.get_content_maintype() == "text":
        text = payload.decode(part.get_content_charset() or "utf-8", errors="replace")
        for found in _URL.findall(text):
            if found not in parsed.urls and len(parsed.urls) < MAX_URLS:
                parsed.urls.append(found.rstrip(".,;"))


# --- Reading a reported mail on screen: headers and a text body, never its HTML -----------

# The headers a responder reads first (A.5.28: who sent it, through which servers, verdicts).
DISPLAY_HEADERS = (
    "From",
    "Reply-To",
    "Return-Path",
    "Sender",
    "To",
    "Cc",
    "Date",
    "Subject",
    "Message-ID",
    "Received",
    "Authentication-Results",
    "Received-SPF",
    "DKIM-Signature",
    "X-Mailer",
)
MAX_BODY_CHARS = 100_000
_TAG = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"(?i)<\s*(br|/p|/div|/tr|/li|/h\d)\b[^>]*>")
_INVISIBLE = re.compile(r"(?is)<(script|style|head)\b.*?</\1\s*>")


@dataclass
class MailView:
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    body_from_html: bool = False  # the mail had no text part: the HTML's text, tags removed
    truncated: bool = False
    attachments: list[tuple[str, int, str]] = field(default_factory=list)  # name, size, sha256


def view_eml(data: bytes) -> MailView:
    """What a responder may read safely: selected headers as text and the body as plain text.
    HTML is never passed on: a text part is preferred, else the HTML's text without tags."""
    message = BytesParser(policy=policy.default).parsebytes(data)
    view = MailView()
    for name in DISPLAY_HEADERS:
        for value in message.get_all(name) or []:
            view.headers.append((name, _safe_str(value)))
    text, html = _bodies(message, view)
    if not text and html:
        text, view.body_from_html = _html_to_text(html), True
    view.truncated = len(text) > MAX_BODY_CHARS
    view.body = text[:MAX_BODY_CHARS]
    return view


def _safe_str(value: object) -> str:
    try:
        return str(value)[:2000]
    except Exception:  # a malformed encoded word
        return ""


def _bodies(message, view: MailView) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    text, html = "", ""
    for part in message.walk():
        if part.is_multipart():
            continue
        try:
            payload = part.get_payload(decode=True) or b""
        except Exception:  # noqa: S112 - a part that does not decode is skipped, like in parse_eml
            continue
        filename = part.get_filename()
        if filename or part.get_content_disposition() == "attachment":
            digest = hashlib.sha256(payload).hexdigest()
            view.attachments.append((_safe_str(filename or ""), len(payload), digest))
            continue
        decoded = payload.decode(part.get_content_charset() or "utf-8", errors="replace")
        if part.get_content_type() == "text/plain" and not text:
            text = decoded
        elif part.get_content_type() == "text/html" and not html:
            html = decoded
    return text, html


def _html_to_text(html: str) -> str:
    html = _INVISIBLE.sub("", html)
    return unescape(_TAG.sub("", _BLOCK.sub("\n", html))).strip()


MAX_EML_BYTES = 10 * 1024 * 1024
