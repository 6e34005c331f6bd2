"""The client address, what django-axes counts login failures by, and password-reset limits.

Login throttling itself is django-axes (``AXES_*`` in the settings): every authentication through
``django.contrib.auth.authenticate`` — the site's login, the admin's, the two-factor step's
password — is counted per username *and* client address, so an attacker who knows the decision
maker's username cannot lock them out from another address, and one address cannot brute-force a
name. Unknown and existing usernames are counted the same way, so the answer never tells whether
an account exists. Axes keeps the attempts and the access log in the database (the audit).
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address; behind N trusted proxies, the one the outermost proxy saw.

    Each proxy appends the address it received from to X-Forwarded-For, so with N trusted
    proxies the N-th entry from the right is the client. Entries further left are whatever the
    client sent and are never trusted. "unknown" when there is no valid address.
    """
    return _client_ip(request) or "unknown"


def axes_client_address(request: HttpRequest) -> str | None:
    """The same address for axes (``AXES_CLIENT_IP_CALLABLE``), which stores it as ``inet``."""
    return _client_ip(request)


def _client_ip(request: HttpRequest) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies and _is_ip(hops[-proxies]):
            return hops[-proxies]
    remote = request.META.get("REMOTE_ADDR", "")
    return remote if _is_ip(remote) else None


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def attempted_username(request: HttpRequest, credentials: Mapping[str, Any] | None) -> str:
    """The username an attempt is counted under (axes' ``AXES_USERNAME_CALLABLE``).

    Folded to lower case and stripped, so "Admin " and "admin" are one counter.
    """
    source = credentials if credentials else getattr(request, "POST", {})
    return str(source.get("username") or "").strip().lower()


def _key(prefix: str, *parts: str) -> str:
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()
    return f"throttle:{prefix}:{digest}"


def password_reset_allowed(email: str, address: str) -> bool:
    """Count one reset request; False once the email or the address is over the hourly limit."""
    limit = settings.PASSWORD_RESET_LIMIT_PER_HOUR
    allowed = True
    for key in (_key("reset-email", email.strip().lower()), _key("reset-addr", address)):
        cache.add(key, 0, timeout=3600)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=3600)
            count = 1
        allowed = allowed and count <= limit
    return allowed
