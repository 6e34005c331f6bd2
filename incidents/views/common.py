"""What the incident views share: role gates and turning domain errors into form errors."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied

from common.errors import DomainError


def require_role(allowed: bool) -> None:
    """Role-gated pages answer 403; objects a user may not see answer 404 (selectors)."""
    if not allowed:
        raise PermissionDenied


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the field it names, or above the form."""
    field = error.details.get("field")
    form.add_error(field if field in form.fields else None, str(error.message))
