"""The ISMS office's page for threat intelligence received from outside: upload a STIX 2.1
bundle or a MISP event; the retro-hunt's matches land in the triage queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.errors import DomainError
from incidents.views.common import add_domain_error, require_role
from sharing import imports, retrohunt, selectors
from sharing.forms import IntelImportForm


@login_required
def intel_import(request: HttpRequest) -> HttpResponse:
    require_role(imports.can_import(request.user))
    form = IntelImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                raw = _read(upload)
                result = imports.intel_import(
                    organisation=request.user.organisation,
                    actor=request.user,
                    raw=raw,
                    label=form.cleaned_data["source"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged."
                        " Matches appear in the triage queue."
                    )
                    % {
                        "created": len(result.created),
                        "updated": len(result.updated),
                        "unchanged": len(result.unchanged),
                    },
                )
                return HttpResponseRedirect(reverse("sharing:intel_import"), status=303)
        status = 400
    context = {
        "form": form,
        "items": selectors.intel_items(request.user),
        "sightings": selectors.intel_sightings(request.user),
        "days": retrohunt.window_days(),
    }
    return render(request, "sharing/intel_import.html", context, status=status)


def _read(upload) -> bytes:  # type: ignore[no-untyped-def]
    """At most one byte more than the limit: parse.read refuses a larger file by its size."""
    from sharing.intel import parse

    return upload.read(parse.max_bytes() + 1)
