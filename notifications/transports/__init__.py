"""One transport per channel kind; ``transport_for(channel)`` picks it."""

from __future__ import annotations

from notifications.enums import ChannelKind
from notifications.models import Channel
from notifications.transports.base import Transport, TransportError
from notifications.transports.email import EmailTransport
from notifications.transports.inapp import InAppTransport
from notifications.transports.slack import SlackTransport
from notifications.transports.teams import TeamsTransport
from notifications.transports.webhook import WebhookTransport

TRANSPORTS: dict[str, type[Transport]] = {
    ChannelKind.EMAIL: EmailTransport,
    ChannelKind.WEBHOOK: WebhookTransport,
    ChannelKind.SLACK: SlackTransport,
    ChannelKind.TEAMS: TeamsTransport,
    ChannelKind.IN_APP: InAppTransport,
}


def transport_for(channel: Channel) -> Transport:
    return TRANSPORTS[channel.kind](channel)


__all__ = ["TRANSPORTS", "Transport", "TransportError", "transport_for"]
