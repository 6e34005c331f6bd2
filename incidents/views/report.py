"""The one-tap report (即ケーブル抜線&報告): start → first aid → short form → confirmation.

The same four screens serve logged-in staff (/report/…) and people without an account who use
the organisation's reporting link (/r/<token>/…). Every step is a plain link or form, so the
flow works without JavaScript; every POST redirects (PRG).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Organisation, User
from accounts.throttle import client_address
from common import clock
from common.errors import DomainError
from incidents import ratelimit, selectors
from incidents.forms.report import LinkReportForm, OneTapReportForm
from incidents.models import ReportingLink
from incidents.models.enums import WhatHappened
from incidents.services import intake
from incidents.views.common import add_domain_error

FIRST_AID_KEY = "incidents.first_aid"
DONE_KEY = "incidents.report_done"
# A confirmation older than this belongs to another incident, not to the report being filed.
FIRST_AID_MAX_AGE = timedelta(hours=12)


@dataclass(frozen=True)
class Desk:
    """Who reports to which organisation: a logged-in person or the reporting link."""

    organisation: Organisation
    actor: User | None = None
    link: ReportingLink | None = None

    @property
    def scope(self) -> str:
        """What a stored confirmation belongs to, so one desk never reads another's."""
        if self.link is not None:
            return f"link:{self.link.pk}"
        return f"user:{getattr(self.actor, 'pk', None)}"

    @property
    def start_url(self) -> str:
        return self.url("start")

    def url(self, step: str) -> str:
        if self.link is None:
            return reverse(f"incidents:report_{step}")
        return reverse(f"incidents:link_{step}", kwargs={"token": self.link.token})


def _staff_desk(request: HttpRequest) -> Desk:
    if request.user.organisation_id is None:
        raise Http404
    return Desk(organisation=request.user.organisation, actor=request.user)


def _on_link(request: HttpRequest, token: str, step: Callable[..., HttpResponse]) -> HttpResponse:
    link = selectors.reporting_link_by_token(token=token)
    if link is None:
        return render(request, "incidents/report/link_invalid.html", status=404)
    organisation = link.organisation
    with timezone.override(zoneinfo.ZoneInfo(organisation.time_zone or "Asia/Tokyo")):
        return step(request, Desk(organisation=organisation, link=link))


# --- screen 1: the big button --------------------------------------------------------------


def _start(request: HttpRequest, desk: Desk) -> HttpResponse:
    context = {
        "desk": desk,
        "opened_url": desk.url("first_aid"),
        "received_url": f"{desk.url('form')}?what={WhatHappened.RECEIVED_ONLY}",
    }
    return render(request, "incidents/report/start.html", context)


@login_required
def report_start(request: HttpRequest) -> HttpResponse:
    return _start(request, _staff_desk(request))


def link_start(request: HttpRequest, token: str) -> HttpResponse:
    return _on_link(request, token, _start)


# --- screen 2: first aid --------------------------------------------------------------------


def _custom_steps(organisation: Organisation) -> list[str]:
    """The ISMS office's own wording in the reader's language, one step per line."""
    settings_row = selectors.intake_settings_of(organisation_id=organisation.pk)
    if settings_row is None:
        return []
    japanese = (translation.get_language() or "ja").startswith("ja")
    text = settings_row.first_aid_ja if japanese else settings_row.first_aid_en
    return [line.strip() for line in text.splitlines() if line.strip()]


def _first_aid(request: HttpRequest, desk: Desk) -> HttpResponse:
    if request.method == "POST":
        # The server's clock, never the client's: this is the time the report will carry.
        request.session[FIRST_AID_KEY] = {"scope": desk.scope, "at": clock.now().isoformat()}
        return HttpResponseRedirect(desk.url("form"))
    context = {
        "desk": desk,
        "custom_steps": _custom_steps(desk.organisation),
        "desk_phone": desk.organisation.desk_phone,
    }
    return render(request, "incidents/report/first_aid.html", context)


@login_required
def report_first_aid(request: HttpRequest) -> HttpResponse:
    return _first_aid(request, _staff_desk(request))


def link_first_aid(request: HttpRequest, token: str) -> HttpResponse:
    return _on_link(request, token, _first_aid)


def first_aid_confirmed_at(request: HttpRequest, desk: Desk) -> datetime | None:
    """The confirmation this browser recorded for this desk, if it is recent."""
    stored = request.session.get(FIRST_AID_KEY) or {}
    if not isinstance(stored, dict) or stored.get("scope") != desk.scope:
        return None
    try:
        at = datetime.fromisoformat(stored["at"])
    except (KeyError, TypeError, ValueError):
        return None
    now = clock.now()
    if at.tzinfo is None or not (now - FIRST_AID_MAX_AGE <= at <= now):
        return None
    return at


# --- screen 3: the short form ---------------------------------------------------------------


def _form_class(desk: Desk) -> type[OneTapReportForm]:
    return LinkReportForm if desk.link else OneTapReportForm


def _submit(request: HttpRequest, desk: Desk, form: OneTapReportForm) -> HttpResponse | None:
    """File the report; None when the form or the service refused it (errors are on the form)."""
    if not form.is_valid():
        return None
    try:
        report = intake.report_submit(
            organisation=desk.organisation,
            actor=desk.actor,
            data=form.to_input(first_aid_confirmed_at=first_aid_confirmed_at(request, desk)),
            eml=form.cleaned_data.get("eml"),
        )
    except DomainError as error:
        add_domain_error(form, error)
        return None
    request.session.pop(FIRST_AID_KEY, None)
    request.session[DONE_KEY] = {"scope": desk.scope, "report": report.pk}
    return HttpResponseRedirect(desk.url("done"))


def _form(request: HttpRequest, desk: Desk) -> HttpResponse:
    form_class = _form_class(desk)
    if request.method == "POST":
        if desk.link and not ratelimit.link_submission_allowed(client_address(request)):
            return render(request, "incidents/report/rate_limited.html", {"desk": desk}, status=429)
        form = form_class(request.POST, request.FILES)
        done = _submit(request, desk, form)
        if done is not None:
            return done
        status = 400
    else:
        what = request.GET.get("what", "")
        form = form_class(initial={"what_happened": what} if what in WhatHappened.values else {})
        status = 200
    context = {
        "desk": desk,
        "form": form,
        "first_aid_confirmed_at": first_aid_confirmed_at(request, desk),
    }
    return render(request, "incidents/report/form.html", context, status=status)


@login_required
def report_form(request: HttpRequest) -> HttpResponse:
    return _form(request, _staff_desk(request))


def link_form(request: HttpRequest, token: str) -> HttpResponse:
    return _on_link(request, token, _form)


# --- screen 4: confirmation -----------------------------------------------------------------


def _done(request: HttpRequest, desk: Desk) -> HttpResponse:
    stored = request.session.get(DONE_KEY) or {}
    report = None
    if isinstance(stored, dict) and stored.get("scope") == desk.scope:
        report = selectors.report_filed_at_desk(
            organisation_id=desk.organisation.pk, pk=stored.get("report")
        )
    if report is None:
        return HttpResponseRedirect(desk.url("start"))
    opened = report.what_happened != WhatHappened.RECEIVED_ONLY
    context = {"desk": desk, "report": report, "opened": opened}
    return render(request, "incidents/report/done.html", context)


@login_required
def report_done(request: HttpRequest) -> HttpResponse:
    return _done(request, _staff_desk(request))


def link_done(request: HttpRequest, token: str) -> HttpResponse:
    return _on_link(request, token, _done)
