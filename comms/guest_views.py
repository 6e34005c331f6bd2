"""Pages of outside responders (issue 17 item 4): the CSIRT lead's invitations on an incident
(invite, list, revoke); the one-time link (set a password); the guest's own page of the one
incident (evidence to download, and to add for a CONTRIBUTE guest). Thin: services decide;
comms.middleware keeps the guest inside these pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common import clock, prg
from common.errors import DomainError, Forbidden
from comms import access, selectors
from comms.enums import GuestRole
from comms.forms import GuestAcceptForm, GuestCommentForm, GuestInviteForm
from comms.models import GuestInvitation
from comms.services import guests
from incidents.forms.records import EvidenceUploadForm
from incidents.models import EvidenceItem
from incidents.services import evidence
from risklevels.forms import FindingForm


def _incident_for_lead(request: HttpRequest, ref: str):  # type: ignore[no-untyped-def]
    incident = selectors.incident_for(user=request.user, ref=ref)
    if not access.can_invite_guests(request.user):
        raise Http404
    return incident


@login_required
def invitations(request: HttpRequest, ref: str) -> HttpResponse:
    incident = _incident_for_lead(request, ref)
    to = reverse("comms:guests", args=[incident.ref])
    if request.method == "POST":
        form = GuestInviteForm(request.POST, auto_id="guest_%s")
        if not form.is_valid():
            return prg.refuse(request, to=to, key="invite")
        try:
            invitation, _token = guests.guest_invite(
                incident=incident,
                actor=request.user,
                base_url=request.build_absolute_uri("/").rstrip("/"),
                **form.cleaned_data,
            )
        except DomainError as error:
            return prg.refuse_error(request, to=to, key="invite", error=error)
        done = _("%(email)s is invited: the link is on its way.")
        messages.success(request, done % {"email": invitation.email})
        return HttpResponseRedirect(to)
    refused = prg.take(request)
    if refused is not None and refused.key == "invite":
        form = refused.bind(GuestInviteForm(refused.data, auto_id="guest_%s"))
    else:
        expiry = clock.now().astimezone().replace(second=0, microsecond=0) + timedelta(days=7)
        form = GuestInviteForm(initial={"expires_at": expiry}, auto_id="guest_%s")
    rows = [(found, guests.state_of(found)) for found in guests.invitations_of(incident)]
    context = {"incident": incident, "form": form, "rows": rows}
    return render(request, "comms/guests.html", context)


@login_required
@require_POST
def revoke(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    incident = _incident_for_lead(request, ref)
    found = GuestInvitation.objects.filter(incident=incident, pk=pk).first()
    if found is None:
        raise Http404
    to = reverse("comms:guests", args=[incident.ref])
    try:
        guests.guest_revoke(invitation=found, actor=request.user)
    except DomainError as error:
        return prg.refuse_error(request, to=to, key="revoke", error=error)
    messages.success(request, _("The invitation is revoked: the guest's access has ended."))
    return HttpResponseRedirect(to)


def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link: a password for the guest's account, then their incident."""
    try:
        invitation = guests.invitation_for_token(token)
    except DomainError as error:
        return render(request, "comms/guest_ended.html", {"error": error.message}, status=404)
    form = GuestAcceptForm(request.POST or None, auto_id="accept_%s")
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = guests.guest_accept(token=token, password=form.cleaned_data["password"])
        except DomainError as refused:
            error = str(refused.message)
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[-1])
            # The password was set this minute: allauth need not ask for it again before the
            # guest adds a second factor (TWO_FACTOR_REQUIRED_FOR_GUESTS sends them there next).
            record_authentication(request, user, method="password", reauthenticated=True)
            return HttpResponseRedirect(reverse("comms:guest_room"))
    context = {"invitation": invitation, "form": form, "error": error}
    return render(request, "comms/guest_accept.html", context, status=400 if error else 200)


def _invitation(request: HttpRequest) -> GuestInvitation:
    found = getattr(request, "guest_invitation", None)
    if found is None:
        raise Http404
    return found


@login_required
def room(request: HttpRequest) -> HttpResponse:
    """The guest's page of the one incident (only its reference above the TLP ceiling)."""
    invitation = _invitation(request)
    incident = invitation.incident
    if request.method == "POST":
        return _add_evidence(request, invitation)
    visible = guests.sees_content(invitation)
    guests.guest_access_record(invitation=invitation, user=request.user, what="incident")
    refused = prg.take(request)
    indicators, withheld = guests.indicators_for(invitation)
    context = {
        "indicators": indicators,
        "indicators_withheld": withheld,
        "invitation": invitation,
        "incident": incident,
        "visible": visible,
        "evidence": incident.evidence.order_by("collected_at", "id") if visible else [],
        "can_add": visible and invitation.role == GuestRole.CONTRIBUTE,
        "form": (
            refused.bind(EvidenceUploadForm(refused.data, auto_id="evidence_%s"))
            if refused is not None and refused.key == "evidence"
            else EvidenceUploadForm(auto_id="evidence_%s")
        ),
        "fact_form": (
            refused.bind(FindingForm(refused.data, auto_id="fact_%s"))
            if refused is not None and refused.key == "fact"
            else FindingForm(auto_id="fact_%s")
        ),
        "comment_form": (
            refused.bind(GuestCommentForm(refused.data, auto_id="comment_%s"))
            if refused is not None and refused.key == "comment"
            else GuestCommentForm(auto_id="comment_%s")
        ),
    }
    return render(request, "comms/guest_room.html", context)


def _refused(request: HttpRequest, error: Forbidden) -> HttpResponse:
    """A guest's write the invitation does not allow: 403 with its code; nothing written."""
    context = {"error": error.message, "code": error.code}
    return render(request, "comms/guest_ended.html", context, status=403)


def _add_evidence(request: HttpRequest, invitation: GuestInvitation) -> HttpResponse:
    to = reverse("comms:guest_room")
    try:
        guests.require_contributor(request.user, invitation.incident)
    except Forbidden as error:
        return _refused(request, error)
    form = EvidenceUploadForm(request.POST, request.FILES, auto_id="evidence_%s")
    if not form.is_valid():
        return prg.refuse(request, to=to, key="evidence")
    try:
        item = evidence.evidence_upload(
            incident=invitation.incident,
            actor=request.user,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
        )
    except DomainError as error:
        return prg.refuse_error(request, to=to, key="evidence", error=error)
    messages.success(request, _("The evidence is stored: %(name)s.") % {"name": item.original_name})
    return HttpResponseRedirect(to)


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """One evidence item of the guest's incident, as an attachment; on the timeline."""
    invitation = _invitation(request)
    if not guests.sees_content(invitation):
        raise Http404
    item = EvidenceItem.objects.filter(incident_id=invitation.incident_id, pk=pk).first()
    if item is None:
        raise Http404
    guests.guest_access_record(
        invitation=invitation, user=request.user, what="evidence", evidence=item
    )
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name or f"evidence-{item.pk}",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _contribute(
    request: HttpRequest, key: str, form: Form, save: Callable[[Form], object], done: str
) -> HttpResponse:
    """A CONTRIBUTE guest's write: refused (403, nothing written) unless the invitation allows
    it, back to the form on bad input, on the incident's record otherwise."""
    invitation = _invitation(request)
    to = reverse("comms:guest_room")
    try:
        guests.require_contributor(request.user, invitation.incident)
    except Forbidden as error:
        return _refused(request, error)
    if not form.is_valid():
        return prg.refuse(request, to=to, key=key)
    try:
        save(form)
    except Forbidden as error:
        return _refused(request, error)
    except DomainError as error:
        return prg.refuse_error(request, to=to, key=key, error=error)
    messages.success(request, done)
    return HttpResponseRedirect(to)


@login_required
@require_POST
def comment(request: HttpRequest) -> HttpResponse:
    """A CONTRIBUTE guest's comment, on the incident's timeline."""

    def save(form: Form) -> object:
        incident = _invitation(request).incident
        text = form.cleaned_data["text"]
        return guests.guest_comment(user=request.user, incident=incident, text=text)

    form = GuestCommentForm(request.POST, auto_id="comment_%s")
    done = _("The comment is on the incident's timeline.")
    return _contribute(request, "comment", form, save, done)


@login_required
@require_POST
def fact(request: HttpRequest) -> HttpResponse:
    """A CONTRIBUTE guest's finding, through the responders' service (rules re-run)."""

    def save(form: Form) -> object:
        incident = _invitation(request).incident
        return guests.guest_fact_record(user=request.user, incident=incident, **form.as_kwargs())

    form = FindingForm(request.POST, auto_id="fact_%s")
    done = _("The finding is on the incident's record.")
    return _contribute(request, "fact", form, save, done)
