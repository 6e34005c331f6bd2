"""Channel secrets at rest: common.crypto with the channels' own derived key."""

from __future__ import annotations

from common import crypto

_INFO = b"isms-csirt notifications channel secrets v1"


def encrypt(value: str) -> str:
    return crypto.encrypt(value, purpose=_INFO)


def decrypt(token: str) -> str:
    """The clear value; raises ValueError when no known key opens it."""
    return crypto.decrypt(token, purpose=_INFO)
