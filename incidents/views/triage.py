"""The triage queue of the ISMS office: accept (promote or attach) or close each waiting item."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common import prg
from common.errors import DomainError
from incidents import access, correlation, selectors
from incidents.forms.triage import AttachForm, CloseForm, PromoteForm
from incidents.models import Event
from incidents.models.enums import EventStatus, IndicatorKind
from incidents.services import triage
from incidents.views.common import require_role

QUEUE_PAGE_SIZE = 50


def _kind_label(kind: str) -> str:
    return str(IndicatorKind(kind).label) if kind in IndicatorKind.values else kind


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    require_role(access.can_triage(request.user))
    page = Paginator(selectors.events_waiting(request.user), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    events = list(page.object_list)
    groupings = selectors.event_groupings(events)
    known = correlation.events_with_known_indicators(events)
    rows = [
        {
            "event": event,
            "grouped_by": [(_kind_label(k), v) for k, v in groupings.get(event.pk, [])],
            "known_indicator": event.pk in known,
        }
        for event in events
    ]
    return render(request, "incidents/triage/queue.html", {"page": page, "rows": rows})


def _item_page(
    request: HttpRequest, event: Event, *, status: int = 200, error: str = "", **bound: forms.Form
) -> HttpResponse:
    user = request.user
    waiting = event.status == EventStatus.RECEIVED
    reports = list(selectors.event_reports(event).prefetch_related("keys"))
    seen = correlation.seen_for_reports(user, reports, event_id=event.pk)
    context: dict[str, Any] = {
        "event": event,
        "error": error,
        "waiting": waiting,
        "reports": reports,
        "seen": [(_kind_label(k.kind), k) for k in seen],
        "known": [(_kind_label(k.kind), k) for k in correlation.known_indicators(seen)],
        "grouped_by": [
            (_kind_label(k), v) for k, v in selectors.event_groupings([event]).get(event.pk, [])
        ],
    }
    if waiting:
        context["promote_form"] = bound.get("promote") or PromoteForm.for_event(event)
        context["attach_form"] = bound.get("attach") or AttachForm(
            incidents=selectors.incidents_open_for_attach(user)
        )
        context["close_form"] = bound.get("close") or CloseForm()
    return render(request, "incidents/triage/item.html", context, status=status)


def _event(request: HttpRequest, pk: int) -> Event:
    require_role(access.can_triage(request.user))
    return selectors.event_get(user=request.user, pk=pk)


def _rebound(request: HttpRequest, refused: prg.Refused | None) -> dict[str, forms.Form]:
    """The item's refused form (promote, attach or close), bound to what was typed."""
    if refused is None:
        return {}
    builders: dict[str, Callable[[Any], forms.Form]] = {
        "promote": lambda data: PromoteForm(data, prefix="promote"),
        "attach": lambda data: AttachForm(
            data, incidents=selectors.incidents_open_for_attach(request.user)
        ),
        "close": lambda data: CloseForm(data),
    }
    build = builders.get(refused.key)
    return {refused.key: refused.bind(build(refused.data))} if build else {}


@login_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    return _item_page(request, event, **_rebound(request, prg.take(request)))


def _decide(
    request: HttpRequest,
    event: Event,
    name: str,
    form: forms.Form,
    run: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """Validate, call the triage service, and redirect; a refusal goes back to the item page
    with the message and what was typed (``common.prg``)."""
    page = reverse("incidents:triage_item", args=[event.pk])
    if not form.is_valid():
        return prg.refuse(request, to=page, key=name)
    try:
        target = run(form.cleaned_data)
    except DomainError as error:
        return prg.refuse_error(request, to=page, key=name, error=error)
    return HttpResponseRedirect(target)


@login_required
@require_POST
def promote(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)

    def run(data: dict[str, Any]) -> str:
        incident = triage.event_promote(
            event=event,
            actor=request.user,
            category=data["category"],
            impact=data["impact"],
            title=data["title"].strip(),
        )
        messages.success(request, _("%(ref)s declared.") % {"ref": incident.ref})
        return reverse("incidents:incident_detail", args=[incident.ref])

    return _decide(request, event, "promote", PromoteForm(request.POST, prefix="promote"), run)


@login_required
@require_POST
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    form = AttachForm(request.POST, incidents=selectors.incidents_open_for_attach(request.user))

    def run(data: dict[str, Any]) -> str:
        incident = triage.event_attach(
            event=event,
            incident=data["incident"],
            actor=request.user,
            new_message=data["new_message"],
        )
        messages.success(request, _("Attached to %(ref)s.") % {"ref": incident.ref})
        return reverse("incidents:incident_detail", args=[incident.ref])

    return _decide(request, event, "attach", form, run)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)

    def run(data: dict[str, Any]) -> str:
        closed = triage.event_close(
            event=event,
            actor=request.user,
            status=data["status"],
            disposition=data["disposition"],
            note=data["note"],
        )
        messages.success(
            request, _("Closed: %(status)s.") % {"status": closed.get_status_display()}
        )
        return reverse("incidents:triage_queue")

    return _decide(request, event, "close", CloseForm(request.POST), run)
