"""Microsoft-Teams-compatible incoming webhook (Workflows): an Adaptive Card message."""

from __future__ import annotations

import json
from typing import Any

from notifications.models import Notification
from notifications.transports.base import Message, Transport, post_json


def teams_document(message: Message) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "size": "Medium", "weight": "Bolder", "text": message.subject},
        *({"type": "TextBlock", "text": line, "wrap": True} for line in message.lines),
    ]
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
        "actions": [{"type": "Action.OpenUrl", "title": message.open_label, "url": message.link}],
    }
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
        ],
    }


class TeamsTransport(Transport):
    def notify(self, notification: Notification, message: Message) -> int:
        body = json.dumps(teams_document(message), ensure_ascii=False).encode()
        headers = {"Idempotency-Key": str(notification.idempotency_key)}
        return post_json(self.channel.url, body, headers)
