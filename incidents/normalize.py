"""Normalisation of mail indicators, so one phishing email reported by many people matches.

Pure functions, no database: the same input always gives the same key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from email.utils import parseaddr
from urllib.parse import urlsplit, urlunsplit

_SPACES = re.compile(r"\s+")
# Reply/forward prefixes that mail clients add when a reporter forwards the email to the desk.
_SUBJECT_PREFIX = re.compile(r"^\s*((re|fw|fwd|転送|返信)\s*[:：]\s*)+", re.IGNORECASE)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def sender(value: str) -> str:
    """The address part, lower-cased: '"経理部" <Keiri@Example.JP>' → 'keiri@example.jp'."""
    _, address = parseaddr(value or "")
    return address.strip().lower()


def subject(value: str) -> str:
    """NFKC (full-width → half-width), reply/forward prefixes dropped, spaces folded, casefold."""
    text = unicodedata.normalize("NFKC", value or "")
    text = _SUBJECT_PREFIX.sub("", text)
    return _SPACES.sub(" ", text).strip().casefold()


def message_id(value: str) -> str:
    return (value or "").strip().strip("<>").strip().lower()


def sha256(value: str) -> str:
    text = (value or "").strip().lower()
    return text if _SHA256.match(text) else ""


def url(value: str) -> str:
    """Scheme and host lower-cased, default port and fragment dropped, path kept as is."""
    text = (value or "").strip()
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return text.lower()
    scheme = parts.scheme.lower()
    host = parts.hostname.lower().rstrip(".")
    port = f":{parts.port}" if parts.port and str(parts.port) != _DEFAULT_PORTS[scheme] else ""
    return urlunsplit((scheme, f"{host}{port}", parts.path or "/", parts.query, ""))


def domain(value: str) -> str:
    return (value or "").strip().lower().rstrip(".")


NORMALISERS = {
    "SENDER_ADDRESS": sender,
    "SUBJECT": subject,
    "MESSAGE_ID": message_id,
    "URL": url,
    "FILE_SHA256": sha256,
    "DOMAIN": domain,
    "C2_DOMAIN": domain,
}


def normalise(kind: str, value: str) -> str:
    normaliser = NORMALISERS.get(kind)
    return normaliser(value) if normaliser else (value or "").strip().lower()


def digest(kind: str, normalised: str) -> str:
    return hashlib.sha256(f"{kind}\x00{normalised}".encode()).hexdigest()
