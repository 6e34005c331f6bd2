"""The live part of the incident room, polled by htmx from the incident page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from common import clock
from dashboard import keyset
from dashboard.selectors import room
from incidents import selectors as incident_selectors


@login_required
@require_GET
def incident_live(request: HttpRequest, ref: str) -> HttpResponse:
    """204 when nothing changed since the version the page holds (htmx then leaves it alone)."""
    incident = incident_selectors.incident_get(user=request.user, ref=ref)
    version = room.room_version(incident)
    if request.GET.get("v") == version:
        return HttpResponse(status=204)
    context = {"room": room.incident_room(incident=incident, now=clock.now(), version=version)}
    return render(request, "dashboard/partials/room_live.html", context)


@login_required
@require_GET
def incident_timeline(request: HttpRequest, ref: str) -> HttpResponse:
    """Every entry of an incident's timeline, newest first, one keyset page at a time."""
    incident = incident_selectors.incident_get(user=request.user, ref=ref)
    page = keyset.paginate(
        room.timeline_rows(incident), ordering=room.TIMELINE, cursor=request.GET.get("after", "")
    )
    return render(request, "dashboard/timeline.html", {"incident": incident, "page": page})


@login_required
@require_GET
def incident_deliveries(request: HttpRequest, ref: str) -> HttpResponse:
    """Every mail delivery of an incident's campaign, in the order they were recorded, one
    keyset page at a time (the incident page lists the first ones)."""
    incident = incident_selectors.incident_get(user=request.user, ref=ref)
    page = keyset.paginate(
        room.delivery_rows(incident),
        ordering=room.DELIVERIES,
        cursor=request.GET.get("after", ""),
        size=room.DELIVERIES_PAGE,
    )
    context = {
        "incident": incident,
        "page": page,
        "several_messages": room.several_messages(incident),
    }
    return render(request, "dashboard/deliveries.html", context)
