"""The conditions of the task ↔ record map (``incidents.completion``) that communications prove:
a sent message to the right audience completes its checklist task (N-1, N-2, N-3).
Registered in CommsConfig.ready; ``incidents.completion.TASK_RECORDS`` names the task codes."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from comms.enums import Audience, Status
from comms.models import Communication
from incidents.completion import SHOWN, Proof
from incidents.models import Incident


def _sent_to(incident: Incident, audiences: tuple[str, ...]) -> Proof:
    zone = ZoneInfo(incident.organisation.time_zone)
    sent = list(
        Communication.objects.filter(incident=incident, audience__in=audiences, status=Status.SENT)
        .order_by("sent_at", "id")
        .values_list("subject", "sent_at")[: SHOWN + 1]
    )
    labels = [f"{subject} {at.astimezone(zone):%Y/%m/%d %H:%M}" for subject, at in sent]
    labels = [*labels[:SHOWN], "…"] if len(labels) > SHOWN else labels
    return Proof(holds=bool(labels), records=labels)


def all_staff_alerted(incident: Incident) -> Proof:
    """N-1: a warning to all staff was sent."""
    return _sent_to(incident, (Audience.ALL_STAFF,))


def customers_contacted(incident: Incident) -> Proof:
    """N-2: partners or customers were contacted."""
    return _sent_to(incident, (Audience.PARTNERS, Audience.CUSTOMERS))


def announcement_published(incident: Incident) -> Proof:
    """N-3: the public announcement went out (web notice or press)."""
    return _sent_to(incident, (Audience.PUBLIC, Audience.MEDIA))


def insurer_notified(incident: Incident) -> Proof:
    """N-3: the insurer was told."""
    return _sent_to(incident, (Audience.INSURER,))


CONDITIONS = {
    "all_staff_alerted": all_staff_alerted,
    "customers_contacted": customers_contacted,
    "announcement_published": announcement_published,
    "insurer_notified": insurer_notified,
}
