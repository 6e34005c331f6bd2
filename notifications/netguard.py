"""Where a webhook may point: only globally routable addresses, private ones when allowed.

Checked when the ISMS office saves the URL and again at every send, on the addresses the name
resolves to then; the connection goes to the address that was checked (no DNS rebinding
between the check and the request), and redirects are never followed.

An IPv6 address can carry an IPv4 address that is where the packets really go (IPv4-mapped
and -compatible, 6to4, Teredo, NAT64): those are unwrapped and must pass too, so the metadata
service at 169.254.169.254 cannot be reached as ``[2002:a9fe:a9fe::1]``. Python's ``is_global``
is the base rule; the special-purpose ranges whose classification changed between Python
releases are listed here, so the answer does not depend on the interpreter's patch level.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

# Cloud metadata services that are not in a link-local range.
METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    }
)
# What ALERT_WEBHOOK_ALLOW_PRIVATE opens: the organisation's own networks and loopback.
PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "::1/128", "fc00::/7")
)
# Never a webhook target, whatever ``is_global`` of this Python says (IANA special-purpose
# registries; RFC 6598, 6890, 5737, 2544, 3879, 3849, 6666, 8215).
NOT_GLOBAL = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "100.64.0.0/10",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "240.0.0.0/4",
        "::/128",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "fec0::/10",
        "64:ff9b:1::/48",
    )
)
NAT64_PREFIXES = tuple(ipaddress.ip_network(n) for n in ("64:ff9b::/96", "64:ff9b:1::/48"))


class UnsafeUrl(ValueError):
    """The URL may not be used as a webhook target (the message says why)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked address to connect to


def allow_private() -> bool:
    return bool(getattr(settings, "ALERT_WEBHOOK_ALLOW_PRIVATE", False))


def check_address(address: str) -> None:
    """Raise UnsafeUrl unless ``address`` (and every address it wraps) may be a target."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError as exc:
        raise UnsafeUrl(f"{address[:60]} is not an IP address") from exc
    inner = wrapped(ip)
    for candidate in (ip, *inner):
        if candidate.is_link_local or candidate in METADATA_ADDRESSES:
            raise UnsafeUrl(f"{ip} is (or wraps) a link-local or metadata address")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip, inner = ip.ipv4_mapped, []  # the same host, written the IPv6 way
    if _private(ip):
        if not allow_private():
            raise UnsafeUrl(f"{ip} is a private address (ALERT_WEBHOOK_ALLOW_PRIVATE is off)")
        return
    # A wrapping address (6to4, Teredo, NAT64) goes where the address it wraps goes.
    for candidate in inner or [ip]:
        if not _global(candidate):
            raise UnsafeUrl(f"{ip} is not a globally routable address")


def wrapped(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (where its packets would really go)."""
    if isinstance(ip, ipaddress.IPv4Address):
        return []
    found = []
    if ip.ipv4_mapped:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour:
        found.append(ip.sixtofour)
    if ip.teredo:
        found += list(ip.teredo)  # the relay server and the client behind its NAT
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if any(ip in prefix for prefix in NAT64_PREFIXES):
        found.append(low32)
    if int(ip) >> 32 == 0 and int(ip) > 1:  # IPv4-compatible ::a.b.c.d
        found.append(low32)
    return found


def _private(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(ip in network for network in PRIVATE_NETWORKS if network.version == ip.version)


def _global(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    special = any(ip in network for network in NOT_GLOBAL if network.version == ip.version)
    return ip.is_global and not (special or ip.is_multicast or ip.is_reserved)


def parse(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise UnsafeUrl("the URL must start with https://")
    if scheme == "http" and not allow_private():
        raise UnsafeUrl("plain http is only allowed to private targets")
    if not parts.hostname or parts.username or parts.password:
        raise UnsafeUrl("the URL needs a host and no user name or password")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeUrl("the port is not valid") from exc
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, parts.hostname, port, path


def resolve(url: str) -> Target:
    """The checked target of ``url``; raises UnsafeUrl (or OSError when the name fails)."""
    scheme, host, port, path = parse(url)
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise OSError(f"{host} has no address")
    for address in addresses:
        check_address(address)
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])


def hint(url: str) -> str:
    """What is shown of a stored URL: scheme and host, and the last four characters."""
    scheme, host, _port, path = parse(url)
    return f"{scheme}://{host}/…{path[-4:]}" if len(path) > 4 else f"{scheme}://{host}{path}"
