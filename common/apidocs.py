"""The OpenAPI schema and its docs page, for signed-in people and API keys only (issue 12).

The schema lists every endpoint, field and error of the product: an attacker's map, so it is
not served to anonymous clients. A browser without a session is sent to sign in; any other
client gets the API's 401.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer


class _SignedInOnly:
    permission_classes = [IsAuthenticated]

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        # Who asks before what they accept: an anonymous JSON client hears 401, not 406.
        self.perform_authentication(request)  # type: ignore[attr-defined]
        self.check_permissions(request)  # type: ignore[attr-defined]
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def handle_exception(self, exc: Exception) -> HttpResponse:
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            if _wants_html(self.request) and "HTTP_AUTHORIZATION" not in self.request.META:
                return redirect_to_login(self.request.get_full_path())
            # The schema's own renderers (YAML, the docs page's HTML) do not describe errors.
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)  # type: ignore[misc]


def _wants_html(request: Any) -> bool:
    return "text/html" in request.META.get("HTTP_ACCEPT", "")


class SchemaView(_SignedInOnly, SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; ``?format=json`` for JSON)."""


class DocsView(_SignedInOnly, SpectacularSwaggerSplitView):
    """Swagger UI, served from local files; it reads the schema with the same session."""
