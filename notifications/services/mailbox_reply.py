"""The reply to whoever forwarded a message to the reporting mailbox (event ``mailbox.replied``,
published by incidents in the transaction that files the message): one alert with the reply as
the mailbox wrote it and one outbox row to the forwarder's address on the organisation's email
channel, so it is delivered, retried and logged like any alert. It goes to that address only,
by email only: never to a role, a shared channel or anyone else, and it needs no acknowledgement.
"""

from __future__ import annotations

from typing import Any

from accounts.models import Organisation
from common import clock
from notifications.enums import ChannelKind, DeliveryState
from notifications.models import Alert, Notification
from notifications.services.defaults import channels_ensure_defaults
from notifications.services.outbox import enqueue_on_commit

MAX_ADDRESS = 254  # RFC 5321; a longer From cannot be written to (nor delivered)


def on_replied(
    name: str,
    *,
    organisation_id: int,
    receipt: Any,
    address: str,
    mail: dict[str, str],
    **_data: Any,
) -> Notification | None:
    organisation = Organisation.objects.get(pk=organisation_id)
    channel = next(
        (
            c
            for c in channels_ensure_defaults(organisation=organisation)
            if c.kind == ChannelKind.EMAIL
        ),
        None,
    )
    key = f"mailreceipt:{receipt.pk}"
    deliverable = 0 < len(address) <= MAX_ADDRESS
    if channel is None or not deliverable or Alert.objects.filter(dedupe_key=key).exists():
        return None
    now = clock.now()
    alert = Alert.objects.create(
        organisation=organisation,
        event=name,
        subject=key,
        dedupe_key=key,  # one reply per message taken from the mailbox
        payload={"receipt": receipt.pk, "mail": {"subject": mail["subject"], "body": mail["body"]}},
        channel_kinds=[ChannelKind.EMAIL],
        created_at=now,
    )
    row = Notification.objects.create(
        alert=alert,
        organisation=organisation,
        recipient=None,  # an address, not a person of the organisation
        address=address,
        channel=channel,
        next_attempt_at=now,
        queued_at=now,
        created_at=now,
    )
    enqueue_on_commit([row.pk])
    return row


def failed_count(organisation_id: int) -> int:
    """Replies that could not be delivered (the reporting mailbox's status shows the number)."""
    return Notification.objects.filter(
        organisation_id=organisation_id,
        alert__event="mailbox.replied",
        state=DeliveryState.FAILED,
    ).count()
