"""Domain errors: raised by services, turned into HTTP 400/409 by the API and the views."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused the change. Nothing was written.

    ``code`` is machine-readable (stable, documented in docs/api.md); ``message`` is for people
    and should be a lazily translated string so it follows the user's language.
    """

    status_code = 409

    def __init__(self, code: str, message: Any, /, **details: Any) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.details = details


class InvalidInput(DomainError):
    """The input cannot be accepted as given (HTTP 400)."""

    status_code = 400


class Conflict(DomainError):
    """The input conflicts with the current state (HTTP 409)."""

    status_code = 409


class Forbidden(DomainError):
    """The actor may see the object but not do this to it (HTTP 403)."""

    status_code = 403
