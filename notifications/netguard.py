"""Where a webhook may point: no link-local or metadata address, no private one unless allowed.

Checked when the ISMS office saves the URL and again at every send, on the addresses the name
resolves to then; the connection goes to the address that was checked (no DNS rebinding
between the check and the request), and redirects are never followed.
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
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_link_local or ip in METADATA_ADDRESSES:
        raise UnsafeUrl(f"{ip} is a link-local or metadata address")
    if ip.is_loopback or (ip.is_private and not ip.is_unspecified):
        if not allow_private():
            raise UnsafeUrl(f"{ip} is a private address (ALERT_WEBHOOK_ALLOW_PRIVATE is off)")
        return
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        raise UnsafeUrl(f"{ip} is not a unicast address")


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
