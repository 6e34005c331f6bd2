"""Normalisation of mail indicators, so one phishing email reported by many people matches.

Pure functions, no database: the same input always gives the same key.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import re
import unicodedata
from email.utils import parseaddr
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import idna
import ioc_fanger

_SPACES = re.compile(r"\s+")
# Reply/forward prefixes that mail clients add when a reporter forwards the email to the desk.
_SUBJECT_PREFIX = re.compile(r"^\s*((re|fw|fwd|転送|返信)\s*[:：]\s*)+", re.IGNORECASE)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DEFAULT_PORTS = {"http": "80", "https": "443"}
# Query parameters that only track who clicked: the same link sent to two people differs in
# them, so correlation drops them (utm_* of Google Analytics, the click ids of the big ad
# networks, Mailchimp's and HubSpot's mail ids).
_TRACKING_PREFIXES = ("utm_", "mc_", "_hs")
_TRACKING_NAMES = frozenset({"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "_ga"})


def refang(value: str) -> str:
    """'hxxp://example[.]com' → 'http://example.com' (defanged indicators as shared by CERTs)."""
    return ioc_fanger.fang(value or "")


def host(value: str) -> str:
    """A host name lower-cased, without the root's trailing dot, IDN in punycode (A-label):
    'Example.COM.' → 'example.com', '例え.jp' → 'xn--r8jz45g.jp'. An IP address in its
    canonical form."""
    text = unicodedata.normalize("NFKC", (value or "").strip()).rstrip(".").lower()
    if not text:
        return ""
    address = ip(text)
    if address:
        return address
    try:
        return idna.encode(text, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return text


def ip(value: str) -> str:
    """'2001:DB8:0:0::1' → '2001:db8::1'; '' when the value is no IP address."""
    try:
        return ipaddress.ip_address((value or "").strip().strip("[]")).compressed
    except ValueError:
        return ""


def sender(value: str) -> str:
    """The address part, lower-cased, the domain in punycode:
    '"経理部" <Keiri@Example.JP>' → 'keiri@example.jp'; 'keiri[@]example[.]jp' refanged."""
    _, address = parseaddr(refang(value))
    local, at, domain_part = address.strip().rpartition("@")
    if not at:
        return address.strip().lower()
    return f"{local.lower()}@{host(domain_part)}"


def subject(value: str) -> str:
    """NFKC (full-width → half-width), reply/forward prefixes dropped, spaces folded, casefold."""
    text = unicodedata.normalize("NFKC", value or "")
    text = _SUBJECT_PREFIX.sub("", text)
    return _SPACES.sub(" ", text).strip().casefold()


def message_id(value: str) -> str:
    return (value or "").strip().strip("<>").strip().lower()


def sha256(value: str) -> str:
    """Lower-case hex without spaces or a 'sha256:' prefix; '' when it is no SHA-256."""
    text = re.sub(r"\s+", "", (value or "")).lower().removeprefix("sha256:")
    return text if _SHA256.match(text) else ""


def url(value: str) -> str:
    """Refanged; scheme and host lower-cased, IDN in punycode, default port, fragment and
    tracking parameters dropped; the path and the other parameters kept as they are."""
    text = refang(value).strip()
    if not text:
        return ""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text.lower()
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return text.lower()
    name = host(parts.hostname)
    name = f"[{name}]" if ":" in name else name
    port_text = f":{port}" if port and str(port) != _DEFAULT_PORTS[scheme] else ""
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    )
    return urlunsplit((scheme, f"{name}{port_text}", parts.path or "/", query, ""))


def _tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_NAMES or lowered.startswith(_TRACKING_PREFIXES)


def domain(value: str) -> str:
    """Refanged host: 'EXAMPLE[.]com.' → 'example.com'."""
    return host(refang(value))


def ip_indicator(value: str) -> str:
    """Refanged, canonical IP address; '' when it is none."""
    return ip(refang(value))


NORMALISERS = {
    "SENDER_ADDRESS": sender,
    "SUBJECT": subject,
    "MESSAGE_ID": message_id,
    "URL": url,
    "FILE_SHA256": sha256,
    "DOMAIN": domain,
    "C2_DOMAIN": domain,
    "IP": ip_indicator,
    "C2_IP": ip_indicator,
}

# Kinds that name the same thing: a domain seen as a C2 domain elsewhere is the same domain.
SAME_THING = {
    "DOMAIN": ("DOMAIN", "C2_DOMAIN"),
    "C2_DOMAIN": ("DOMAIN", "C2_DOMAIN"),
    "IP": ("IP", "C2_IP"),
    "C2_IP": ("IP", "C2_IP"),
}


# A phishing wave repeats the same few strings hundreds of times a minute; refanging and
# parsing them again is about 5 % of a report's CPU at the intake (issue 20).
@functools.lru_cache(maxsize=2048)
def normalise(kind: str, value: str) -> str:
    normaliser = NORMALISERS.get(kind)
    return normaliser(value) if normaliser else (value or "").strip().lower()


def digest(kind: str, normalised: str) -> str:
    return hashlib.sha256(f"{kind}\x00{normalised}".encode()).hexdigest()
