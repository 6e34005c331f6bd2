"""What the training views share: role gates, domain errors on forms, file downloads."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from common import csvexport
from common.errors import DomainError


def require_role(allowed: bool) -> None:
    """Role-gated pages answer 403; objects a user may not see answer 404 (selectors)."""
    if not allowed:
        raise PermissionDenied


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the field it names, or above the form."""
    field = error.details.get("field")
    form.add_error(field if field in form.fields else None, str(error.message))


def csv_download(content: bytes, filename: str, *, encoding: str = "utf-8") -> HttpResponse:
    return csvexport.csv_download(content, filename=filename, codec=encoding)


def querystring(request: HttpRequest) -> str:
    """The page's filters without the page number, for the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
