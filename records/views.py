"""The incident report (print page and PDF), the emergency kit (print page, PDF, regenerate,
printed mark) and the QR poster. Thin: selectors read and check, services write.

Who may print an incident's report: whoever may see the incident (``incident_get``). Outside
responders (comms guests) may not: the report carries the whole timeline and the evidence,
above what their invitation shares; their guest room is their record (404, as for an outsider).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from bcp import access as bcp_access
from common import prg
from common.errors import DomainError
from comms.services.guests import is_guest
from incidents import selectors as incident_selectors
from incidents.models import Incident
from records import kit as kit_content
from records import report, services
from records.forms import ReportForm
from records.models import EmergencyKit
from records.pdf import kit_file_write, render_pdf
from records.qr import qr_svg

PDF = "application/pdf"


def _incident(request: HttpRequest, ref: str) -> Incident:
    if is_guest(request.user):
        raise Http404
    return incident_selectors.incident_get(user=request.user, ref=ref)


def _ceiling(request: HttpRequest, incident: Incident, data: object) -> str | None:
    form = ReportForm(data)
    if not form.is_valid():
        return None
    return report.tlp_ceiling(incident, form.cleaned_data["tlp"] or None)


def _bad_tlp() -> HttpResponse:
    return HttpResponse(_("Choose a TLP from the list."), status=400, content_type="text/plain")


def _report_context(incident: Incident, tlp: str) -> dict[str, object]:
    return {
        "report": report.incident_report(incident=incident, tlp=tlp),
        "incident": incident,
        "form": ReportForm(initial={"tlp": tlp}),
    }


@login_required
@require_GET
def report_print(request: HttpRequest, ref: str) -> HttpResponse:
    incident = _incident(request, ref)
    tlp = _ceiling(request, incident, request.GET)
    if tlp is None:
        return _bad_tlp()
    return render(request, "records/report_print.html", _report_context(incident, tlp))


@login_required
@require_POST
def report_pdf(request: HttpRequest, ref: str) -> HttpResponse:
    """The PDF; the download is written on the incident's timeline first, so the head hash
    printed on the last page is the one ``verify_timeline`` reports afterwards."""
    incident = _incident(request, ref)
    tlp = _ceiling(request, incident, request.POST)
    if tlp is None:
        return _bad_tlp()
    language = translation.get_language() or "ja"
    services.report_download_record(
        incident=incident, actor=request.user, tlp=tlp, language=language
    )
    data = render_pdf("records/report_pdf.html", _report_context(incident, tlp))
    response = HttpResponse(data, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{incident.ref}-report.pdf"'
    return response


# --- The emergency kit --------------------------------------------------------------------------


def _kit_reader(user: User) -> None:
    if not bcp_access.can_see_roster(user) or is_guest(user):
        raise Http404


def _latest(user: User) -> EmergencyKit | None:
    return EmergencyKit.objects.of(user.organisation_id).first()


def _kit_context(request: HttpRequest, kit: EmergencyKit) -> dict[str, object]:
    sheet = kit_content.kit_sheet(kit.content, translation.get_language() or "ja")
    return {"kit": kit, "sheet": sheet, "qr": qr_svg(sheet["report_url"])}


@login_required
@require_GET
def kit_page(request: HttpRequest) -> HttpResponse:
    _kit_reader(request.user)
    kit = _latest(request.user)
    context: dict[str, object] = {
        "kit": kit,
        "keeps": bcp_access.can_manage_roster(request.user),
        "printed": EmergencyKit.objects.of(request.user.organisation_id)
        .filter(printed_at__isnull=False)
        .first(),
    }
    if kit is not None:
        context.update(_kit_context(request, kit))
    return render(request, "records/kit.html", context)


@login_required
@require_GET
def kit_pdf(request: HttpRequest) -> HttpResponse:
    _kit_reader(request.user)
    kit = _latest(request.user)
    if kit is None:
        raise Http404
    data = render_pdf("records/kit_pdf.html", _kit_context(request, kit))
    response = HttpResponse(data, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="emergency-kit-v{kit.version}.pdf"'
    return response


@login_required
@require_POST
def kit_regenerate(request: HttpRequest) -> HttpResponse:
    _kit_reader(request.user)
    page = reverse("records:kit")
    if not bcp_access.can_manage_roster(request.user):
        return prg.refuse(
            request, to=page, key="kit", message=_("Only the ISMS office makes the kit.")
        )
    kit, made = services.kit_regenerate(
        organisation=request.user.organisation, reason=services.ON_DEMAND
    )
    kit_file_write(kit)
    if made:
        messages.success(
            request, _("Version %(version)s of the kit is ready.") % {"version": kit.version}
        )
    else:
        messages.info(
            request, _("Nothing changed since version %(version)s.") % {"version": kit.version}
        )
    return HttpResponseRedirect(page)


@login_required
@require_POST
def kit_printed(request: HttpRequest) -> HttpResponse:
    _kit_reader(request.user)
    page = reverse("records:kit")
    kit = _latest(request.user)
    if kit is None:
        raise Http404
    try:
        services.kit_mark_printed(kit_version=kit, actor=request.user)
    except DomainError as error:
        return prg.refuse_error(request, to=page, key="kit", error=error)
    messages.success(request, _("Marked as printed."))
    return HttpResponseRedirect(page)


@login_required
@require_GET
def poster(request: HttpRequest) -> HttpResponse:
    _kit_reader(request.user)
    url = kit_content.report_url(request.user.organisation)
    context = {"url": url, "qr": qr_svg(url), "organisation": request.user.organisation}
    if request.GET.get("format") == "pdf":
        response = HttpResponse(render_pdf("records/poster_pdf.html", context), content_type=PDF)
        response["Content-Disposition"] = 'attachment; filename="report-poster.pdf"'
        return response
    return render(request, "records/poster.html", context)
