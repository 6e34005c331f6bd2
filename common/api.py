"""The DRF exception handler: every error is ``{"code": …, "message": …, "details": …}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.errors import DomainError

_DEFAULT_CODES = {
    status.HTTP_400_BAD_REQUEST: "invalid",
    status.HTTP_401_UNAUTHORIZED: "not_authenticated",
    status.HTTP_403_FORBIDDEN: "permission_denied",
    status.HTTP_404_NOT_FOUND: "not_found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "method_not_allowed",
    status.HTTP_409_CONFLICT: "conflict",
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: "too_large",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
    status.HTTP_429_TOO_MANY_REQUESTS: "throttled",
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "message": str(exc.message), "details": exc.details}
        return Response(body, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        # A model's full_clean() inside a service: the same 400 as a serializer's.
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail=detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = _envelope(exc, response)
    return response


def _envelope(exc: Exception, response: Response) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        return _validation_envelope(exc)
    detail = getattr(exc, "detail", "")
    code = getattr(detail, "code", None) or _DEFAULT_CODES.get(response.status_code, "error")
    return {"code": str(code), "message": str(detail), "details": {}}


def _validation_envelope(exc: exceptions.ValidationError) -> dict[str, Any]:
    """Code and message of the first error on top, like a domain error; every error in details."""
    errors = exc.get_full_details()
    field, first = _first_error(errors, "")
    return {
        "code": str(first.get("code") or "invalid"),
        "message": str(first.get("message") or _("The input is not valid.")),
        "details": {"field": field or None, "fields": errors},
    }


def _first_error(errors: Any, path: str) -> tuple[str, dict[str, Any]]:
    if isinstance(errors, dict) and "code" in errors and "message" in errors:
        return path, errors
    if isinstance(errors, dict):
        for name, nested in errors.items():
            return _first_error(nested, f"{path}.{name}" if path else str(name))
    if isinstance(errors, list):
        for index, nested in enumerate(errors):
            if nested:  # many=True lists keep an empty dict for each valid item
                sub = path if isinstance(nested, dict) and "code" in nested else f"{path}.{index}"
                return _first_error(nested, sub)
    return path, {}


@csrf_exempt  # no state changes here; a POST must hear 404, not the CSRF page
def api_not_found(request: Any, path: str = "") -> JsonResponse:
    """A path under /api/v1/ that matches no endpoint: the API's 404, not the HTML page."""
    body = {"code": "not_found", "message": str(exceptions.NotFound.default_detail), "details": {}}
    return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)
