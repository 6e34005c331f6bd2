"""A staff warning mailed to the organisation's address list (event ``communication.mailed``,
published by comms): one alert with the message as approved, one outbox row per address on the
organisation's email channel, so each is delivered, retried and logged like any alert."""

from __future__ import annotations

from typing import Any

from accounts.models import Organisation, User
from common import clock
from incidents.models import Incident
from notifications.enums import ChannelKind
from notifications.models import Alert, Notification
from notifications.services.defaults import channels_ensure_defaults
from notifications.services.outbox import enqueue_on_commit


def on_mailed(
    name: str,
    *,
    organisation_id: int,
    incident: Incident | None = None,
    communication: Any,
    addresses: list[str],
    sender: User,
    **_data: Any,
) -> list[Notification]:
    now = clock.now()
    organisation = Organisation.objects.get(pk=organisation_id)
    channel = next(
        (
            c
            for c in channels_ensure_defaults(organisation=organisation)
            if c.kind == ChannelKind.EMAIL
        ),
        None,
    )
    if channel is None:
        return []
    payload: dict[str, Any] = {
        "incident": (
            {"id": incident.pk, "ref": incident.ref, "title": incident.title} if incident else None
        ),
        "communication": communication.pk,
        "mail": {"subject": communication.subject, "body": communication.body},
        "addresses": len(addresses),
    }
    alert = Alert.objects.create(
        organisation=organisation,
        incident=incident,
        event=name,
        level=incident.level if incident else 1,
        subject=f"communication:{communication.pk}"[:40],
        payload=payload,
        channel_kinds=[ChannelKind.EMAIL],
        created_at=now,
    )
    rows = Notification.objects.bulk_create(
        [
            Notification(
                alert=alert,
                organisation=organisation,
                recipient=sender,
                address=address,
                channel=channel,
                next_attempt_at=now,
                queued_at=now,
                created_at=now,
            )
            for address in addresses
        ]
    )
    enqueue_on_commit([row.pk for row in rows])
    return rows
