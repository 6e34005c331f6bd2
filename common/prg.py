"""Post/redirect/get for refused forms.

A refused form (invalid input, or a service's refusal) redirects back to its page instead of
rendering at the POST's URL, so a reload never posts it again. What was typed (never files or
the CSRF token), the refusal's message and the field it names wait in the session for the next
GET of that page, which binds the form again to show them; the message also goes to Django's
messages, shown at the top of every page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect, QueryDict

from common.errors import DomainError

SESSION_KEY = "prg_refused"
NOT_KEPT = ("csrfmiddlewaretoken",)


@dataclass(frozen=True)
class Refused:
    """The refused form of one page: its key on the page, what was typed, the errors."""

    key: str
    data: QueryDict
    errors: dict[str, str] = field(default_factory=dict)  # field name ("" for the form) → text

    def bind(self, form: forms.Form) -> forms.Form:
        """Validate the re-bound ``form`` and put the refusal's own errors back on it."""
        form.is_valid()
        for name, message in self.errors.items():
            form.add_error(name if name in form.fields else None, message)
        return form


def refuse(
    request: HttpRequest,
    *,
    to: str,
    key: str,
    message: str = "",
    field_name: str = "",
) -> HttpResponseRedirect:
    """Redirect to ``to`` (the form's page) keeping the input and the message for its GET."""
    data = request.POST.copy()
    for name in NOT_KEPT:
        data.pop(name, None)
    errors = {field_name: message} if message and field_name else {}
    request.session[SESSION_KEY] = {
        "path": urlsplit(to).path,
        "key": key,
        "data": data.urlencode(),
        "errors": errors,
    }
    if message:
        messages.error(request, message)
    return HttpResponseRedirect(to)


def refuse_error(
    request: HttpRequest, *, to: str, key: str, error: DomainError
) -> HttpResponseRedirect:
    """A service refused: its message at the top and on the field it names."""
    field_name = str(error.details.get("field") or "")
    return refuse(request, to=to, key=key, message=str(error.message), field_name=field_name)


def take(request: HttpRequest) -> Refused | None:
    """The refused form waiting for this page, once; None on any other page."""
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("path") != request.path:
        return None
    del request.session[SESSION_KEY]
    return Refused(
        key=stored["key"],
        data=QueryDict(stored["data"]),
        errors=dict(stored.get("errors") or {}),
    )
