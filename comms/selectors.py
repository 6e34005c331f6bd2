"""Reads of communications, templates and contacts, limited to what the user may see: the
organisation's, on incidents the user sees (PR and legal: those where they hold a task, a
decision or an obligation, issue 16 — never every incident's)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Organisation, User
from comms.models import Communication, CommunicationVersion, ExternalContact, MessageTemplate
from incidents import selectors as incident_selectors
from incidents.models import Incident


def incidents_for(user: User) -> QuerySet[Incident]:
    return incident_selectors.incidents_visible_to(user)


def incident_for(*, user: User, ref: str) -> Incident:
    incident = incidents_for(user).select_related("organisation").filter(ref=ref).first()
    if incident is None:
        raise Http404
    return incident


def communications_visible_to(user: User) -> QuerySet[Communication]:
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Communication.objects.none()
    return Communication.objects.filter(
        organisation_id=user.organisation_id, incident__in=incidents_for(user).values("pk")
    ).select_related("incident", "approved_by", "sent_by", "created_by", "announcement")


def communications_of(incident: Incident) -> QuerySet[Communication]:
    return (
        Communication.objects.filter(incident=incident)
        .select_related("approved_by", "sent_by", "created_by", "announcement")
        .order_by("-created_at", "-id")
    )


def communication_get(*, user: User, pk: int) -> Communication:
    found = communications_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def versions_of(communication: Communication) -> QuerySet[CommunicationVersion]:
    return communication.versions.select_related("edited_by").order_by("-number")


def templates_of(organisation: Organisation) -> QuerySet[MessageTemplate]:
    return MessageTemplate.objects.filter(organisation=organisation).order_by("kind", "language")


def contacts_of(organisation: Organisation) -> QuerySet[ExternalContact]:
    return ExternalContact.objects.filter(organisation=organisation).order_by("position", "id")


def contact_get(*, user: User, pk: int) -> ExternalContact:
    found = ExternalContact.objects.filter(organisation_id=user.organisation_id, pk=pk).first()
    if found is None:
        raise Http404
    return found
