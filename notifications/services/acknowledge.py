"""Acknowledging an alert: in the app, by the signed email link, or through the API."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common import clock
from common.errors import Conflict, Forbidden
from incidents.services.timeline import timeline_append
from notifications.enums import AckVia
from notifications.models import Alert, Notification


class NotARecipient(Forbidden):
    """Only a person the alert was sent to may acknowledge it."""


@transaction.atomic
def alert_acknowledge(*, alert: Alert, actor: User, via: str = AckVia.APP) -> Alert:
    """The first acknowledgement stops the escalation; acknowledging again changes nothing."""
    if not Notification.objects.filter(alert=alert, recipient=actor).exists():
        raise NotARecipient("NOT_A_RECIPIENT", _("This alert was not sent to you."))
    if not alert.needs_ack:
        raise Conflict("NO_ACK_NEEDED", _("This alert needs no acknowledgement."))
    now = clock.now()
    first = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=actor, acknowledged_via=via
    )
    alert.refresh_from_db()
    if first and alert.incident_id:
        timeline_append(
            incident=alert.incident,
            kind="alert.acknowledged",
            actor=actor,
            payload={
                "alert": alert.pk,
                "event": alert.event,
                "via": via,
                "step": alert.escalation_step,
            },
        )
    return alert
