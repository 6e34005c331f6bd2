"""One report as the ISMS office (or its reporter) reads it: who reported, how to reach them,
what they said, and the email they attached — its headers and text, never its HTML."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from incidents import access, emlparse, selectors
from incidents.models import Report
from incidents.services import evidence

logger = logging.getLogger(__name__)


def _report(request: HttpRequest, pk: int) -> Report:
    report = selectors.reports_visible_to(request.user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def _mail_view(report: Report) -> emlparse.MailView | None:
    if not report.eml:
        return None
    try:
        with report.eml.open("rb") as source:
            return emlparse.view_eml(source.read(emlparse.MAX_EML_BYTES))
    except Exception:  # a missing or hostile file: the page still shows the report
        logger.exception("Report %s: the .eml could not be read", report.pk)
        return None


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    user = request.user
    context = {
        "report": report,
        "mail": _mail_view(report),
        "can_keep": bool(report.eml and report.incident_id and access.can_edit_incidents(user)),
        "evidence": selectors.report_evidence(report),
        "alert": selectors.report_alert(report),
    }
    return render(request, "incidents/report_detail.html", context)


@login_required
def report_eml(request: HttpRequest, pk: int) -> FileResponse:
    """The original file, as an attachment: a browser never renders it."""
    report = _report(request, pk)
    if not report.eml:
        raise Http404
    response = FileResponse(
        report.eml.open("rb"),
        as_attachment=True,
        filename=f"{report.number}.eml",
        content_type="message/rfc822",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def report_keep_eml(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy the .eml into the incident's evidence (when it arrived after triage)."""
    report = _report(request, pk)
    if report.incident is None:
        raise Http404
    try:
        item = evidence.evidence_from_report(
            incident=report.incident, report=report, actor=request.user
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        if item is not None:
            messages.success(
                request,
                _("The email is kept as evidence (SHA-256 %(sha)s).") % {"sha": item.sha256},
            )
    return HttpResponseRedirect(reverse("incidents:report_detail", args=[report.pk]))
