"""Login-failure throttling and password-reset rate limits, kept in the cache.

The key is the username *and* the client address: an attacker who knows the decision maker's
username cannot lock them out from another address (the issue's requirement), and one address
cannot brute-force a name. Unknown and existing usernames are throttled the same way, so the
answer never tells whether an account exists.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address; behind N trusted proxies, the one the outermost proxy saw.

    Each proxy appends the address it received from to X-Forwarded-For, so with N trusted
    proxies the N-th entry from the right is the client. Entries further left are whatever the
    client sent and are never trusted.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(prefix: str, *parts: str) -> str:
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()
    return f"throttle:{prefix}:{digest}"


def login_key(username: str, address: str) -> str:
    return _key("login", username.strip().lower(), address)


def login_is_locked(username: str, address: str) -> bool:
    return cache.get(login_key(username, address), 0) >= settings.LOGIN_FAILURE_LIMIT


def login_failed(username: str, address: str) -> None:
    key = login_key(username, address)
    cache.add(key, 0, timeout=settings.LOGIN_COOL_OFF_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_COOL_OFF_SECONDS)


def login_succeeded(username: str, address: str) -> None:
    cache.delete(login_key(username, address))


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
