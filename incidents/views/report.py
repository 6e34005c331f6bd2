"""The one-tap report (即ケーブル抜線&報告): tap → first aid → details → confirmation.

Report first, then first aid (issue 15): the big button is a form whose one POST files the
report (who, which PC if the page was opened with ``?pc=``, when) before the worker is told to
pull the cable, so a worker who obeys at once has already reported. The details that follow —
from the same browser, or from a phone through the signed link the first-aid page shows —
update that report; they never file another.

The same screens serve logged-in staff (/report/…) and people without an account who use the
organisation's reporting link (/r/<token>/…). Every step is a plain link or form, so the flow
works without JavaScript; every POST redirects (PRG).
"""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import segno
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accounts.models import Organisation, User
from accounts.throttle import client_address
from common import clock
from common.errors import DomainError
from incidents import access, ratelimit, selectors
from incidents.forms.report import LinkReportForm, OneTapReportForm
from incidents.models import Report, ReportingLink
from incidents.models.enums import WhatHappened
from incidents.services import intake, report_first
from incidents.views.common import add_domain_error

FIRST_AID_KEY = "incidents.first_aid"
CURRENT_KEY = "incidents.report_current"  # the report this browser tapped, awaiting details
DONE_KEY = "incidents.report_done"
DETAILS_SALT = "incidents.report-details"
# How long the phone link of the first-aid page lets the reporter add details.
DETAILS_MAX_AGE = timedelta(days=7)
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
        return _link_not_active(request, token)
    organisation = link.organisation
    with timezone.override(zoneinfo.ZoneInfo(organisation.time_zone or "Asia/Tokyo")):
        return step(request, Desk(organisation=organisation, link=link))


def _link_not_active(request: HttpRequest, token: str) -> HttpResponse:
    """An old poster's link says where the new one comes from, and how to report meanwhile.

    Only a link that once existed names its organisation's desk: an unknown token learns nothing.
    """
    replaced = selectors.reporting_link_replaced(token=token)
    if replaced is None:
        return render(request, "incidents/report/link_invalid.html", status=404)
    organisation = replaced.organisation
    with timezone.override(zoneinfo.ZoneInfo(organisation.time_zone or "Asia/Tokyo")):
        return render(
            request,
            "incidents/report/link_replaced.html",
            {"organisation": organisation, "replaced_at": replaced.revoked_at},
            status=410,
        )


# --- screen 1: the big button --------------------------------------------------------------


def _start(request: HttpRequest, desk: Desk) -> HttpResponse:
    context = {
        "desk": desk,
        "tap_url": desk.url("tap"),
        # A fresh key per page: a double tap, or the same form sent again, files one report.
        "tap_key": uuid.uuid4().hex,
        # Set on a PC's desktop shortcut by IT (…/report/?pc=PC-0123): the PC is then known.
        "pc": request.GET.get("pc", "").strip()[:64],
        "received_url": f"{desk.url('form')}?what={WhatHappened.RECEIVED_ONLY}",
        # The one report entry point: responders continue from here to their full form.
        "responder_url": (
            reverse("incidents:responder_report")
            if desk.link is None and _files_reports(request.user)
            else ""
        ),
    }
    return render(request, "incidents/report/start.html", context)


def _files_reports(user: User) -> bool:
    return access.can_edit_incidents(user) or access.can_triage(user)


@login_required
def report_start(request: HttpRequest) -> HttpResponse:
    return _start(request, _staff_desk(request))


def link_start(request: HttpRequest, token: str) -> HttpResponse:
    return _on_link(request, token, _start)


# --- the tap: file the report at once -------------------------------------------------------


def _tap(request: HttpRequest, desk: Desk) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(desk.start_url)
    if desk.link and not ratelimit.link_submission_allowed(client_address(request)):
        return render(request, "incidents/report/rate_limited.html", {"desk": desk}, status=429)
    report = report_first.report_tap(
        organisation=desk.organisation,
        actor=desk.actor,
        tap_key=request.POST.get("tap_key", "")[:64],
        asset_label=request.POST.get("pc", "").strip()[:64],
    )
    request.session[CURRENT_KEY] = {"scope": desk.scope, "report": report.pk}
    return HttpResponseRedirect(desk.url("first_aid"))


@login_required
@require_POST
def report_tap(request: HttpRequest) -> HttpResponse:
    return _tap(request, _staff_desk(request))


@require_POST
def link_tap(request: HttpRequest, token: str) -> HttpResponse:
    return _on_link(request, token, _tap)


def current_report(request: HttpRequest, desk: Desk) -> Report | None:
    """The report this browser tapped at this desk, while its details may still be added."""
    stored = request.session.get(CURRENT_KEY) or {}
    if not isinstance(stored, dict) or stored.get("scope") != desk.scope:
        return None
    report = selectors.report_for_details(
        organisation_id=desk.organisation.pk, pk=stored.get("report")
    )
    if report is None or clock.now() - report.received_at > FIRST_AID_MAX_AGE:
        return None
    return report


# --- screen 2: first aid --------------------------------------------------------------------


def _custom_steps(organisation: Organisation) -> list[str]:
    """The ISMS office's own wording in the reader's language, one step per line."""
    settings_row = selectors.intake_settings_of(organisation_id=organisation.pk)
    if settings_row is None:
        return []
    japanese = (translation.get_language() or "ja").startswith("ja")
    text = settings_row.first_aid_ja if japanese else settings_row.first_aid_en
    return [line.strip() for line in text.splitlines() if line.strip()]


def details_url(request: HttpRequest, report: Report) -> str:
    """The signed link that lets the reporter add details from another device (a phone)."""
    token = signing.dumps(report.pk, salt=DETAILS_SALT, compress=True)
    return request.build_absolute_uri(reverse("incidents:report_details", args=[token]))


def _qr_svg(url: str) -> str:
    # segno draws the code as one <path> with presentation attributes only: no style, no
    # script, and the URL is ours (a signed token), so the markup is safe to inline.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4, dark="#000", omitsize=True))  # noqa: S308


def _first_aid(request: HttpRequest, desk: Desk) -> HttpResponse:
    report = current_report(request, desk)
    if request.method == "POST":
        # The server's clock, never the client's: this is the time the report will carry.
        request.session[FIRST_AID_KEY] = {"scope": desk.scope, "at": clock.now().isoformat()}
        if report is not None:
            report_first.report_confirm_first_aid(report=report)
        return HttpResponseRedirect(desk.url("form"))
    context = {
        "desk": desk,
        "report": report,
        "custom_steps": _custom_steps(desk.organisation),
        "contacts": selectors.first_aid_contacts(organisation=desk.organisation),
    }
    if report is not None:
        context["details_url"] = details_url(request, report)
        context["details_qr"] = _qr_svg(context["details_url"])
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


# --- screen 3: the details ------------------------------------------------------------------


def _form_class(desk: Desk) -> type[OneTapReportForm]:
    return LinkReportForm if desk.link else OneTapReportForm


def _initial(report: Report) -> dict[str, object]:
    names = ("what_happened", "sender", "subject", "attachment_name", "asset_label", "description")
    initial: dict[str, object] = {name: getattr(report, name) for name in names}
    initial["mail_received_at"] = report.mail_received_at
    if report.cable_pulled is not None:
        initial["cable_pulled"] = "yes" if report.cable_pulled else "no"
    if report.reporter_id is None:
        initial.update(
            reporter_name=report.reporter_name,
            reporter_email=report.reporter_email,
            reporter_phone=report.reporter_phone,
        )
    return initial


def _save(
    request: HttpRequest, desk: Desk, form: OneTapReportForm, report: Report | None
) -> Report | None:
    """File a new report, or add the details to the tapped one; None when refused."""
    if not form.is_valid():
        return None
    data = form.to_input(first_aid_confirmed_at=first_aid_confirmed_at(request, desk))
    try:
        if report is not None:
            return report_first.report_add_details(
                report=report, data=data, eml=form.cleaned_data.get("eml")
            )
        return intake.report_submit(
            organisation=desk.organisation,
            actor=desk.actor,
            data=data,
            eml=form.cleaned_data.get("eml"),
        )
    except DomainError as error:
        add_domain_error(form, error)
        return None


def _form(request: HttpRequest, desk: Desk) -> HttpResponse:
    form_class = _form_class(desk)
    report = current_report(request, desk)
    if request.method == "POST":
        if desk.link and not ratelimit.link_submission_allowed(client_address(request)):
            return render(request, "incidents/report/rate_limited.html", {"desk": desk}, status=429)
        form = form_class(request.POST, request.FILES)
        saved = _save(request, desk, form, report)
        if saved is not None:
            request.session.pop(FIRST_AID_KEY, None)
            request.session.pop(CURRENT_KEY, None)
            request.session[DONE_KEY] = {"scope": desk.scope, "report": saved.pk}
            return HttpResponseRedirect(desk.url("done"))
        status = 400
    elif report is not None:
        form = form_class(initial=_initial(report))
        status = 200
    else:
        what = request.GET.get("what", "")
        form = form_class(initial={"what_happened": what} if what in WhatHappened.values else {})
        status = 200
    context = {
        "desk": desk,
        "form": form,
        "report": report,
        "first_aid_confirmed_at": first_aid_confirmed_at(request, desk),
    }
    return render(request, "incidents/report/form.html", context, status=status)


@login_required
def report_form(request: HttpRequest) -> HttpResponse:
    return _form(request, _staff_desk(request))


def link_form(request: HttpRequest, token: str) -> HttpResponse:
    return _on_link(request, token, _form)


# --- the details from another device (the phone link of the first-aid page) ----------------


def _report_by_token(token: str) -> Report:
    try:
        pk = signing.loads(token, salt=DETAILS_SALT, max_age=DETAILS_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    report = Report.objects.filter(pk=pk).select_related("organisation", "incident").first()
    if (
        report is None
        or selectors.report_for_details(organisation_id=report.organisation_id, pk=report.pk)
        is None
    ):
        raise Http404
    return report


def report_details(request: HttpRequest, token: str) -> HttpResponse:
    """Details for a filed report, from any browser holding the signed link (no login: the
    link is the permission, and it adds to that one report only)."""
    report = _report_by_token(token)
    organisation = report.organisation
    form_class = OneTapReportForm if report.reporter_id else LinkReportForm
    with timezone.override(zoneinfo.ZoneInfo(organisation.time_zone or "Asia/Tokyo")):
        if request.method == "POST":
            if not ratelimit.link_submission_allowed(client_address(request)):
                desk = Desk(organisation=organisation)
                return render(
                    request, "incidents/report/rate_limited.html", {"desk": desk}, status=429
                )
            form = form_class(request.POST, request.FILES)
            if form.is_valid():
                try:
                    report_first.report_add_details(
                        report=report,
                        data=form.to_input(first_aid_confirmed_at=None),
                        eml=form.cleaned_data.get("eml"),
                    )
                except DomainError as error:
                    add_domain_error(form, error)
                else:
                    return HttpResponseRedirect(
                        reverse("incidents:report_details_done", args=[token])
                    )
            status = 400
        else:
            form, status = form_class(initial=_initial(report)), 200
        context = {"form": form, "report": report, "organisation": organisation}
        return render(request, "incidents/report/form.html", context, status=status)


def report_details_done(request: HttpRequest, token: str) -> HttpResponse:
    report = _report_by_token(token)
    context = {"report": report, "opened": True, "desk": Desk(organisation=report.organisation)}
    context["from_phone"] = True
    return render(request, "incidents/report/done.html", context)


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
