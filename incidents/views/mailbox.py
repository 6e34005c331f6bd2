"""The reporting mailbox page of the ISMS office: its settings and the status of its polls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import DomainError
from incidents import access, selectors
from incidents.forms.mailbox import ReportingMailboxForm
from incidents.services import mailbox
from incidents.views.common import add_domain_error, require_role

# The poll's last error in words (the code is stored; the page is in the reader's language).
ERRORS = {
    "login_failed": gettext_lazy("The server refused the user name or password."),
    "tls_failed": gettext_lazy("The encrypted connection failed (check the port and encryption)."),
    "unreachable": gettext_lazy("The server could not be reached."),
    "server_error": gettext_lazy("The server answered with an error."),
    "password_unreadable": gettext_lazy(
        "The stored password can no longer be read: enter it again."
    ),
    "failed": gettext_lazy(
        "The poll stopped on an unexpected error; the messages stay in the inbox."
    ),
}


def status_context(organisation_id: int) -> dict[str, object]:
    status = selectors.reporting_mailbox_status(organisation_id=organisation_id)
    if status is None:
        return {"mailbox": None}
    box = status["box"]
    return {
        "mailbox": box,
        "mailbox_counts": status["counts"],
        "mailbox_taken": status["taken"],
        "mailbox_replies_failed": status["replies_failed"],
        "mailbox_error": ERRORS.get(box.last_error, ERRORS["failed"]) if box.last_error else "",
    }


def _page(request: HttpRequest, form: ReportingMailboxForm, status: int = 200) -> HttpResponse:
    context = {"form": form, **status_context(request.user.organisation_id)}
    return render(request, "incidents/report_mailbox.html", context, status=status)


@login_required
def report_mailbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_role(access.can_manage_intake(user))
    if request.method != "POST":
        current = selectors.reporting_mailbox_status(organisation_id=user.organisation_id)
        initial = ReportingMailboxForm.initial_from(current["box"] if current else None)
        return _page(request, ReportingMailboxForm(initial=initial))
    form = ReportingMailboxForm(request.POST)
    if form.is_valid():
        try:
            mailbox.mailbox_configure(
                organisation=user.organisation,
                actor=user,
                password=form.cleaned_data["password"],
                **form.settings(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The reporting mailbox is saved; it is read every minute."))
            return HttpResponseRedirect(reverse("incidents:report_mailbox"))
    return _page(request, form, status=400)
