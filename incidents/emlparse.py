"""Read the indicators out of an uploaded .eml. A file that does not parse is still kept."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser

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
