"""Reads of the incident record, already filtered to what the user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from incidents import access
from incidents.models import (
    AffectedAsset,
    Event,
    EvidenceItem,
    Incident,
    Indicator,
    MailDelivery,
    Report,
    Task,
    TimelineEntry,
)


def incidents_visible_to(user: User) -> QuerySet[Incident]:
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Incident.objects.none()
    base = Incident.objects.filter(organisation_id=user.organisation_id)
    if access.sees_all_incidents(user):
        return base
    # Assigned handlers and leads (e.g. an external responder) see only their incidents.
    return base.filter(Q(handlers=user) | Q(csirt_lead=user)).distinct()


def incident_list(user: User) -> QuerySet[Incident]:
    return incidents_visible_to(user).select_related("csirt_lead")


def incident_get(*, user: User, ref: str) -> Incident:
    incident = incident_list(user).filter(ref=ref).first()
    if incident is None:
        raise Http404
    return incident


def incident_get_by_id(*, user: User, pk: int) -> Incident:
    incident = incident_list(user).filter(pk=pk).first()
    if incident is None:
        raise Http404
    return incident


def reports_visible_to(user: User) -> QuerySet[Report]:
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Report.objects.none()
    base = Report.objects.filter(organisation_id=user.organisation_id)
    if access.can_triage(user) or access.sees_all_incidents(user):
        return base.select_related("event", "incident", "reporter")
    return base.filter(reporter=user).select_related("event", "incident", "reporter")


def events_waiting(user: User) -> QuerySet[Event]:
    if not access.can_triage(user):
        return Event.objects.none()
    return (
        Event.objects.waiting()
        .filter(organisation_id=user.organisation_id)
        .order_by("received_at", "id")
    )


def events_visible_to(user: User) -> QuerySet[Event]:
    if not access.can_triage(user):
        return Event.objects.none()
    return Event.objects.filter(organisation_id=user.organisation_id).select_related(
        "incident", "triaged_by"
    )


def event_get(*, user: User, pk: int) -> Event:
    event = events_visible_to(user).filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def affected_assets_of(incident: Incident) -> QuerySet[AffectedAsset]:
    return incident.affected_assets.select_related("asset").order_by("id")


def deliveries_of(incident: Incident) -> QuerySet[MailDelivery]:
    return (
        MailDelivery.objects.filter(message__incident=incident)
        .select_related("recipient", "message")
        .order_by("id")
    )


def indicators_of(incident: Incident) -> QuerySet[Indicator]:
    return incident.indicators.order_by("id")


def tasks_of(incident: Incident) -> QuerySet[Task]:
    return incident.tasks.select_related("owner").order_by("level", "code", "id")


def evidence_of(incident: Incident) -> QuerySet[EvidenceItem]:
    return (
        incident.evidence.select_related("collected_by")
        .prefetch_related("custody__actor")
        .order_by("id")
    )


def timeline_of(incident: Incident) -> QuerySet[TimelineEntry]:
    return incident.timeline.order_by("seq")
