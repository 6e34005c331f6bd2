"""Secrets at rest: Fernet with a key derived from SECRET_KEY (HKDF-SHA256), one derived key per
purpose (notification channels, single sign-on client secrets, …).

Rotating SECRET_KEY keeps working as long as the old key is in SECRET_KEY_FALLBACKS: values are
read with every key and written with the current one.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet_for(secret_key: str, purpose: bytes) -> Fernet:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose)
    return Fernet(base64.urlsafe_b64encode(hkdf.derive(secret_key.encode())))


def _fernet(purpose: bytes) -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet_for(key, purpose) for key in keys])


def encrypt(value: str, *, purpose: bytes) -> str:
    return _fernet(purpose).encrypt(value.encode()).decode() if value else ""


def decrypt(token: str, *, purpose: bytes) -> str:
    """The clear value; raises ValueError when no known key opens it."""
    if not token:
        return ""
    try:
        return _fernet(purpose).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("the value was encrypted with an unknown key") from exc
