"""The ISMS office's intake settings: first-aid wording, triage matrix, the reporting link."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from incidents import access, selectors
from incidents.forms.intake_admin import IntakeSettingsForm
from incidents.models.enums import Impact
from incidents.services import intake_admin
from incidents.views import mailbox
from incidents.views.common import add_domain_error, require_role


def _link_url(request: HttpRequest) -> str:
    link = selectors.reporting_link_active(organisation_id=request.user.organisation_id)
    if link is None:
        return ""
    return request.build_absolute_uri(reverse("incidents:link_start", args=[link.token]))


def _page(request: HttpRequest, form: IntakeSettingsForm, status: int = 200) -> HttpResponse:
    link = selectors.reporting_link_active(organisation_id=request.user.organisation_id)
    link_url = _link_url(request)
    context = {
        "form": form,
        "link": link,
        "link_url": link_url,
        # segno draws one <path> with presentation attributes only (no style, no script) from
        # a URL we built, so the markup is safe to inline under the CSP.
        "link_qr": mark_safe(segno.make(link_url, error="m").svg_inline(scale=4, omitsize=True))  # noqa: S308
        if link_url
        else "",
        "impacts": Impact.choices,
        **mailbox.status_context(request.user.organisation_id),
    }
    return render(request, "incidents/intake_settings.html", context, status=status)


QR_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


@login_required
def link_qr(request: HttpRequest, kind: str) -> HttpResponse:
    """The reporting link as a QR code file, for a poster or the intranet (SVG or PNG)."""
    require_role(access.can_manage_intake(request.user))
    link_url = _link_url(request)
    if not link_url or kind not in QR_TYPES:
        raise Http404
    out = io.BytesIO()
    # A quiet zone of 4 modules and large modules: it must scan from a notice board.
    segno.make(link_url, error="m").save(out, kind=kind, scale=12, border=4)
    response = HttpResponse(out.getvalue(), content_type=QR_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="report-link-qr.{kind}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def intake_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_role(access.can_manage_intake(user))
    current = selectors.intake_settings_of(organisation_id=user.organisation_id)
    if request.method != "POST":
        return _page(request, IntakeSettingsForm(current=current))
    form = IntakeSettingsForm(request.POST, current=current)
    if form.is_valid():
        try:
            intake_admin.intake_settings_update(
                organisation=user.organisation,
                actor=user,
                first_aid_ja=form.cleaned_data["first_aid_ja"],
                first_aid_en=form.cleaned_data["first_aid_en"],
                triage_matrix=form.matrix(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Intake settings saved."))
            return HttpResponseRedirect(reverse("incidents:intake_settings"))
    return _page(request, form, status=400)


@login_required
@require_POST
def link_rotate(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_role(access.can_manage_intake(user))
    intake_admin.reporting_link_rotate(organisation=user.organisation, actor=user)
    messages.success(request, _("A new reporting link was issued; the old one no longer works."))
    return HttpResponseRedirect(reverse("incidents:intake_settings") + "#link")
