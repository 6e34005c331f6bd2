"""The responder form: IT or CSIRT staff file the full report of something they saw or heard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.errors import DomainError
from incidents import access
from incidents.forms.report import IndicatorRowFormSet, ResponderReportForm, indicator_rows
from incidents.models import Report
from incidents.services import intake
from incidents.views.common import add_domain_error, require_role


def _next_url(request: HttpRequest, report: Report) -> str:
    """Where the responder continues: the incident it joined, or its triage item."""
    if report.incident_id and access.sees_all_incidents(request.user):
        return reverse("incidents:incident_detail", args=[report.incident.ref])
    if report.event_id and access.can_triage(request.user):
        return reverse("incidents:triage_item", args=[report.event_id])
    return reverse("incidents:responder_report")


@login_required
def responder_report(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_role(access.can_edit_incidents(user) or access.can_triage(user))
    if request.method != "POST":
        context = {"form": ResponderReportForm(), "indicators": IndicatorRowFormSet(prefix="ind")}
        return render(request, "incidents/responder_form.html", context)
    form = ResponderReportForm(request.POST, request.FILES)
    indicators = IndicatorRowFormSet(request.POST, prefix="ind")
    if form.is_valid() and indicators.is_valid():
        try:
            report = intake.report_submit(
                organisation=user.organisation,
                actor=user,
                data=form.to_input(indicators=indicator_rows(indicators)),
                eml=form.cleaned_data.get("eml"),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Report %(number)s filed.") % {"number": report.number})
            return HttpResponseRedirect(_next_url(request, report))
    context = {"form": form, "indicators": indicators}
    return render(request, "incidents/responder_form.html", context, status=400)
