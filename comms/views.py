"""The communications pages: an incident's messages (drafted from a template, edited, approved,
sent), one message with its versions, the organisation's templates and its external contacts.
Thin: forms parse, services decide; a refusal re-renders the page with its message and status.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common import prg
from common.errors import DomainError
from comms import access, selectors
from comms.enums import PUBLIC, Status
from comms.forms import (
    CommunicationForm,
    ContactForm,
    FromTemplateForm,
    StaffListForm,
    StatusForm,
    TemplateForm,
)
from comms.models import Communication
from comms.services import communications, contacts, mailing, templates
from incidents.models import Incident


def _incident_url(incident: Incident) -> str:
    return reverse("comms:incident", args=[incident.ref])


def _detail_url(communication: Communication) -> str:
    return reverse("comms:detail", args=[communication.incident.ref, communication.pk])


def _rebind(refused: prg.Refused | None, key: str, form: Any) -> Any:
    if refused is None or refused.key != key:
        return None
    return refused.bind(form(refused.data))


@login_required
def incident_comms(request: HttpRequest, ref: str) -> HttpResponse:
    incident = selectors.incident_for(user=request.user, ref=ref)
    if request.method == "POST":
        return _draft(request, incident)
    refused = prg.take(request)
    contacts.contacts_ensure_defaults(organisation=incident.organisation)
    context = {
        "incident": incident,
        "communications": selectors.communications_of(incident),
        "template_form": _rebind(
            refused, "template", lambda d: FromTemplateForm(d, auto_id="tpl_%s")
        )
        or FromTemplateForm(auto_id="tpl_%s"),
        "form": _rebind(refused, "new", lambda d: CommunicationForm(d, auto_id="comm_%s"))
        or CommunicationForm(auto_id="comm_%s"),
        "new_refused": refused is not None and refused.key == "new",
        "contacts": selectors.contacts_of(incident.organisation),
        "can_write": access.can_write(request.user),
        "can_invite": access.can_invite_guests(request.user),
        "announcement": communications.approved_announcement(incident),
    }
    return render(request, "comms/incident.html", context)


def _draft(request: HttpRequest, incident: Incident) -> HttpResponse:
    to = _incident_url(incident)
    form = CommunicationForm(request.POST, auto_id="comm_%s")
    if not form.is_valid():
        return prg.refuse(request, to=to, key="new")
    try:
        made = communications.communication_draft(
            incident=incident, actor=request.user, **form.cleaned_data
        )
    except DomainError as error:
        return prg.refuse_error(request, to=to, key="new", error=error)
    messages.success(request, _("The draft is saved."))
    return HttpResponseRedirect(_detail_url(made))


@login_required
@require_POST
def from_template(request: HttpRequest, ref: str) -> HttpResponse:
    incident = selectors.incident_for(user=request.user, ref=ref)
    to = _incident_url(incident)
    form = FromTemplateForm(request.POST)
    if not form.is_valid():
        return prg.refuse(request, to=to, key="template", message=_("Choose a template."))
    try:
        made = templates.communication_from_template(
            incident=incident,
            actor=request.user,
            kind=form.cleaned_data["template"],
            language=form.cleaned_data["language"],
        )
    except DomainError as error:
        return prg.refuse_error(request, to=to, key="template", error=error)
    messages.success(
        request, _("A draft is made from the template. Write what 【要記入】 marks, then save.")
    )
    return HttpResponseRedirect(_detail_url(made))


def _get(request: HttpRequest, ref: str, pk: int) -> Communication:
    incident = selectors.incident_for(user=request.user, ref=ref)
    found = selectors.communication_get(user=request.user, pk=pk)
    if found.incident_id != incident.pk:
        raise Http404
    return found


def _initial(communication: Communication) -> dict[str, Any]:
    return {
        name: getattr(communication, name)
        for name in ("audience", "audience_detail", "channel", "tlp", "subject", "body")
    }


@login_required
def detail(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    communication = _get(request, ref, pk)
    if request.method == "POST":
        return _edit(request, communication)
    refused = prg.take(request)
    incident = communication.incident
    editable = communication.status in (Status.DRAFT, Status.APPROVED)
    context = {
        "incident": incident,
        "communication": communication,
        "form": _rebind(refused, "edit", lambda d: CommunicationForm(d, auto_id="comm_%s"))
        or CommunicationForm(initial=_initial(communication), auto_id="comm_%s"),
        "status_form": _rebind(refused, "status", lambda d: StatusForm(d, auto_id="status_%s"))
        or StatusForm(auto_id="status_%s"),
        "versions": selectors.versions_of(communication),
        "editable": editable,
        "can_write": access.can_write(request.user),
        "can_approve": access.can_approve(request.user),
        "can_send": access.can_send(request.user, communication.audience),
        "public": communication.audience in PUBLIC,
        "announcement": communications.approved_announcement(incident),
        "gaps": "【要記入" in communication.body or "[TO FILL" in communication.body,
        "mailable": communication.audience == "ALL_STAFF"
        and communication.channel == "EMAIL"
        and communication.status == Status.APPROVED,
        "staff_addresses": mailing.staff_list_of(incident.organisation),
    }
    return render(request, "comms/detail.html", context)


def _edit(request: HttpRequest, communication: Communication) -> HttpResponse:
    to = _detail_url(communication)
    form = CommunicationForm(request.POST, auto_id="comm_%s")
    if not form.is_valid():
        return prg.refuse(request, to=to, key="edit")
    changes = dict(form.cleaned_data)
    if not changes.get("tlp"):
        changes.pop("tlp")
    try:
        communications.communication_update(
            communication=communication, actor=request.user, changes=changes
        )
    except DomainError as error:
        return prg.refuse_error(request, to=to, key="edit", error=error)
    messages.success(request, _("The message is saved."))
    return HttpResponseRedirect(to)


STATUS_DONE = {
    Status.APPROVED: gettext_lazy("The message is approved."),
    Status.SENT: gettext_lazy("The message is recorded as sent."),
    Status.DRAFT: gettext_lazy("The message is a draft again."),
    Status.CANCELLED: gettext_lazy("The message is cancelled."),
}


@login_required
@require_POST
def move(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    communication = _get(request, ref, pk)
    to = _detail_url(communication)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return prg.refuse(request, to=to, key="status", message=_("Choose a status."))
    try:
        communications.communication_move(
            communication=communication, actor=request.user, **form.cleaned_data
        )
    except DomainError as error:
        return prg.refuse_error(request, to=to, key="status", error=error)
    messages.success(request, str(STATUS_DONE[form.cleaned_data["status"]]))
    return HttpResponseRedirect(to)


@login_required
@require_POST
def mail(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    communication = _get(request, ref, pk)
    to = _detail_url(communication)
    try:
        mailing.communication_mail(communication=communication, actor=request.user)
    except DomainError as error:
        return prg.refuse_error(request, to=to, key="mail", error=error)
    messages.success(request, _("The warning is being mailed to the staff address list."))
    return HttpResponseRedirect(to)


@login_required
@require_POST
def staff_list(request: HttpRequest) -> HttpResponse:
    if request.user.organisation is None:
        raise Http404
    to = reverse("comms:contacts") + "#staff-addresses"
    form = StaffListForm(request.POST)
    if not form.is_valid():
        return prg.refuse(request, to=reverse("comms:contacts"), key="staff")
    try:
        mailing.staff_list_set(
            organisation=request.user.organisation,
            actor=request.user,
            addresses=form.cleaned_data["addresses"],
        )
    except DomainError as error:
        return prg.refuse_error(request, to=reverse("comms:contacts"), key="staff", error=error)
    messages.success(request, _("The staff address list is saved."))
    return HttpResponseRedirect(to)


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    if organisation is None:
        raise Http404
    templates.templates_ensure(organisation=organisation)
    context = {
        "templates": selectors.templates_of(organisation),
        "can_keep": access.can_keep(request.user),
    }
    return render(request, "comms/templates.html", context)


@login_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.templates_of(request.user.organisation).filter(pk=pk).first()
    if found is None:
        raise Http404
    to = reverse("comms:template", args=[pk])
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if not form.is_valid():
            return prg.refuse(request, to=to, key="template")
        try:
            templates.template_update(
                organisation=request.user.organisation,
                actor=request.user,
                kind=found.kind,
                language=found.language,
                **form.cleaned_data,
            )
        except DomainError as error:
            return prg.refuse_error(request, to=to, key="template", error=error)
        messages.success(request, _("The template is saved."))
        return HttpResponseRedirect(to)
    initial = {"subject": found.subject, "body": found.body}
    context = {
        "template": found,
        "form": _rebind(prg.take(request), "template", lambda d: TemplateForm(d, auto_id="tpl_%s"))
        or TemplateForm(initial=initial, auto_id="tpl_%s"),
        "can_keep": access.can_keep(request.user),
        "placeholders": templates.FACTS,
    }
    return render(request, "comms/template_edit.html", context)


def _contact_form(data: Any = None, **kwargs: Any) -> ContactForm:
    return ContactForm(data, auto_id="contact_%s", **kwargs)


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    if organisation is None:
        raise Http404
    to = reverse("comms:contacts")
    if request.method == "POST":
        form = _contact_form(request.POST)
        if not form.is_valid():
            return prg.refuse(request, to=to, key="contact")
        try:
            contacts.contact_create(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            return prg.refuse_error(request, to=to, key="contact", error=error)
        messages.success(request, _("The contact is saved."))
        return HttpResponseRedirect(to)
    contacts.contacts_ensure_defaults(organisation=organisation)
    refused = prg.take(request)
    staff = "\n".join(mailing.staff_list_of(organisation))
    context = {
        "contacts": selectors.contacts_of(organisation),
        "form": _rebind(refused, "contact", _contact_form) or _contact_form(),
        "staff_form": _rebind(refused, "staff", lambda d: StaffListForm(d, auto_id="staff_%s"))
        or StaffListForm(initial={"addresses": staff}, auto_id="staff_%s"),
        "can_keep": access.can_keep(request.user),
    }
    return render(request, "comms/contacts.html", context)


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    to = reverse("comms:contact", args=[pk])
    if request.method == "POST":
        form = _contact_form(request.POST)
        if not form.is_valid():
            return prg.refuse(request, to=to, key="contact")
        try:
            contacts.contact_update(contact=contact, actor=request.user, changes=form.cleaned_data)
        except DomainError as error:
            return prg.refuse_error(request, to=to, key="contact", error=error)
        messages.success(request, _("The contact is saved."))
        return HttpResponseRedirect(reverse("comms:contacts"))
    initial = {f: getattr(contact, f) for f in contacts.EDITABLE}
    context = {
        "contact": contact,
        "contacts": [contact],
        "form": _rebind(prg.take(request), "contact", _contact_form)
        or _contact_form(initial=initial),
        "can_keep": access.can_keep(request.user),
    }
    return render(request, "comms/contact_edit.html", context)
