"""API-key authentication for integrations: ``Authorization: Api-Key ic_<prefix>_<secret>``.

The key authenticates as its service user, marked with the key's scope (``api_key_scope``) so
that ``incidents.access`` grants what the scope allows; ``request.auth`` is the ``ApiKey``.
"""

from __future__ import annotations

import hmac
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from accounts import services
from accounts.models import ApiKey, ApiKeyScope, User
from common.prepared import Prepared

KEYWORD = "Api-Key"
# Compared against when the prefix is unknown, so both failures take the same time.
_DUMMY_HASH = services.api_key_hash("")


# One-to-one relations of the organisation that apps above accounts read on most calls of an
# API key (notifications: its policy), loaded with the key in the same query (issue 20).
_organisation_companions: list[str] = []


def load_with_organisation(relation: str) -> None:
    """An app's one-to-one relation of Organisation, read with an API key's organisation."""
    if relation not in _organisation_companions:
        _organisation_companions.append(relation)


def key_organisation_id(request: Any) -> int | None:
    """The organisation of a valid, live API key in the request's header, read before DRF
    authenticates (the middleware that picks an exercise's clock runs first): no side effect
    and no error; DRF's authentication still decides the request."""
    header = authentication.get_authorization_header(request).decode("latin-1")
    keyword, _sep, raw = header.partition(" ")
    parsed = services.api_key_parse(raw) if keyword.lower() == KEYWORD.lower() else None
    if parsed is None:
        return None
    prefix, secret = parsed
    key = ApiKey.objects.select_related("service_user").filter(prefix=prefix).first()
    if key is None or key.revoked_at is not None or not key.service_user.is_active:
        return None
    if not hmac.compare_digest(services.api_key_hash(secret), key.secret_hash):
        return None
    return key.service_user.organisation_id


def _key_with_its_user(prefix: str) -> QuerySet[ApiKey]:
    # The organisation too, with what apps read of it on every call: the request carries it
    # (issue 20: read once, not per service).
    related = ["service_user__organisation"]
    related += [f"service_user__organisation__{name}" for name in _organisation_companions]
    return ApiKey.objects.select_related(*related).filter(prefix=prefix).order_by("pk")[:1]


# Compiled once per thread (issue 20: the compilation of this four-table read was a tenth of a
# report's CPU); the companions are registered in AppConfig.ready, before any request.
_key_by_prefix = Prepared(_key_with_its_user)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiKey] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        keyword, _sep, raw = header.partition(" ")
        if keyword.lower() != KEYWORD.lower():
            return None  # not ours: session or anonymous
        parsed = services.api_key_parse(raw)
        if parsed is None:
            raise exceptions.AuthenticationFailed(_("Malformed API key."), code="invalid_api_key")
        return self._check(*parsed)

    def _check(self, prefix: str, secret: str) -> tuple[User, ApiKey]:
        key = next(iter(_key_by_prefix(prefix)), None)
        expected = key.secret_hash if key is not None else _DUMMY_HASH
        matches = hmac.compare_digest(services.api_key_hash(secret), expected)
        if key is None or not matches:
            raise exceptions.AuthenticationFailed(_("Invalid API key."), code="invalid_api_key")
        if key.revoked_at is not None or not key.service_user.is_active:
            raise exceptions.AuthenticationFailed(
                _("This API key has been revoked."), code="api_key_revoked"
            )
        services.api_key_touch(api_key=key)
        user = key.service_user
        user.api_key_scope = key.scope  # read by incidents.access.roles_of
        return user, key

    def authenticate_header(self, request: Request) -> str:
        # Listed first in the settings, so an anonymous request gets 401 (not 403).
        return KEYWORD


class ApiKeyScopePermission(permissions.BasePermission):
    """A read-only key may only read: an unsafe method needs the WRITE scope."""

    message = _("This API key may only read. Use a key with the write scope.")
    code = "insufficient_scope"

    def has_permission(self, request: Request, view: Any) -> bool:
        if not isinstance(request.auth, ApiKey) or request.method in permissions.SAFE_METHODS:
            return True
        return request.auth.scope == ApiKeyScope.WRITE


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'The key prefixed with "Api-Key ", e.g. "Api-Key ic_0a1b2c3d4e5f_…".',
        }
