"""Indicators found in a report's text and its .eml (issue 22 item 1). Pure: bytes and text in,
candidates out; nothing is stored here.

The text and the mail body go through `ioc-finder` (a maintained extractor: it refangs
``hxxp://example[.]com`` and ``1.2.3[.]4`` itself, through `ioc-fanger`, and knows URLs,
domains, addresses and hashes; a host must end in a real top-level domain, so ``evil.example``
or ``pc12.local`` is not suggested). The headers are read with the standard library: the sender's
addresses from From, Reply-To and Return-Path, and the public IP addresses of the Received
hops (a private or loopback hop is the organisation's own relay, not an indicator). Attachments
give their SHA-256. The caller normalises each value (`incidents.normalize`) and decides.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses

import ioc_fanger

from incidents import emlparse
from incidents.models.enums import IndicatorKind

# ioc-finder logs every call at INFO; a report's text is not worth a log line.
logging.getLogger("ioc_finder").setLevel(logging.WARNING)

MAX_TEXT = 200_000
MAX_CANDIDATES = 60
ADDRESS_HEADERS = ("From", "Reply-To", "Return-Path")

TEXT = "TEXT"
HEADER = "HEADER"
BODY = "BODY"
ATTACHMENT = "ATTACHMENT"


@dataclass(frozen=True)
class Candidate:
    kind: str
    value: str
    source: str


def _find(text: str) -> dict[str, list[str]]:
    from ioc_finder import find_iocs  # builds its grammars on first use; not at import time

    return find_iocs(
        text[:MAX_TEXT],
        included_ioc_types=["urls", "domains", "ipv4s", "ipv6s", "sha256s", "email_addresses"],
    )


def _public(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_global
    except ValueError:
        return False


def from_text(text: str, source: str = TEXT) -> list[Candidate]:
    """URLs, domains, public IP addresses, SHA-256 hashes and mail addresses in free text."""
    if not text.strip():
        return []
    found = _find(text)
    out: list[Candidate] = []
    out += [Candidate(IndicatorKind.URL, v, source) for v in found.get("urls", [])]
    hosts = {v.split("@")[-1].lower() for v in found.get("email_addresses", [])}
    out += [
        Candidate(IndicatorKind.DOMAIN, v, source)
        for v in found.get("domains", [])
        if v.lower() not in hosts  # a sender's domain comes with its address
    ]
    for kind in ("ipv4s", "ipv6s"):
        out += [Candidate(IndicatorKind.IP, v, source) for v in found.get(kind, []) if _public(v)]
    out += [Candidate(IndicatorKind.FILE_SHA256, v, source) for v in found.get("sha256s", [])]
    out += [
        Candidate(IndicatorKind.SENDER_ADDRESS, v, source) for v in found.get("email_addresses", [])
    ]
    return out


def from_eml(data: bytes) -> list[Candidate]:
    """The sender's addresses, the public Received hops, the body's indicators and the
    attachments' hashes of a raw RFC 5322 message ([] when it is not a mail)."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
        view = emlparse.view_eml(data)
    except Exception:  # hostile input: the report keeps its file, nothing is suggested
        return []
    out: list[Candidate] = []
    for name in ADDRESS_HEADERS:
        values = [str(v) for v in (message.get_all(name) or [])]
        for _, address in getaddresses(values):
            if "@" in address:
                out.append(Candidate(IndicatorKind.SENDER_ADDRESS, address, HEADER))
    received = "\n".join(str(v) for v in (message.get_all("Received") or []))
    if received:
        found = _find(received)
        for kind in ("ipv4s", "ipv6s"):
            out += [
                Candidate(IndicatorKind.IP, v, HEADER) for v in found.get(kind, []) if _public(v)
            ]
    out += from_text(view.body, BODY)
    out += [
        Candidate(IndicatorKind.FILE_SHA256, digest, ATTACHMENT)
        for _, _, digest in view.attachments
    ]
    return out


def defang(value: str) -> str:
    """How a suggestion is shown: not a link, not a live address (hxxp://example[.]com)."""
    return ioc_fanger.defang(value).replace("hXXp", "hxxp")
