from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from common import clock


class ContentSecurityPolicyMiddleware:
    """Send a strict Content-Security-Policy: no inline scripts or styles anywhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


UPLOAD_OVERHEAD_BYTES = 1024 * 1024  # multipart framing and the form's other fields


def request_body_limit(content_type: str) -> int:
    """The largest body accepted: the largest upload for multipart forms, else Django's limit."""
    if content_type.startswith("multipart/form-data"):
        return settings.EVIDENCE_MAX_BYTES + UPLOAD_OVERHEAD_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestBodyLimitMiddleware:
    """Refuse a body by its Content-Length, before anything reads it (413, or 400 if malformed).

    Django would otherwise spool a whole multipart upload to disk before a view could compare
    the file's size with the limit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        limit = request_body_limit(request.META.get("CONTENT_TYPE", ""))
        try:
            length = int(raw)
        except ValueError:
            length = -1
        if length < 0:
            return _body_error(request, 400, "invalid_content_length", _("Invalid Content-Length."))
        if length > limit:
            message = _("The request is larger than %(mb).1f MB.") % {"mb": limit / (1024 * 1024)}
            return _body_error(request, 413, "too_large", message, limit_bytes=limit)
        return self.get_response(request)


def _body_error(
    request: HttpRequest, status: int, code: str, message: str, **details: int
) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {"code": code, "message": message, "details": details}
        return JsonResponse(body, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class ObjectClockMiddleware:
    """One clock (issue 18): a page or API call whose URL names an exercise object (an
    incident by reference, a decision, an obligation, an exercise) runs on that exercise's
    clock, so what it stamps and shows is exercise time; every other request runs on the wall
    clock, untouched. A change (POST, PUT, PATCH, DELETE) first plays the exercise up to its
    now, so a deadline that passed in exercise time has moved before the action."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not clock.may_name_object(request.path_info):
            return self.get_response(request)  # most pages: no URL resolving, no query
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        found = clock.route_object(request, match)
        if found is None:
            return self.get_response(request)
        with clock.on(found, write=request.method not in SAFE_METHODS):
            return self.get_response(request)
