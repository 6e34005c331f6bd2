"""Slack-compatible incoming webhook (also Mattermost and Rocket.Chat): text plus blocks."""

from __future__ import annotations

import json
from typing import Any

from notifications.models import Notification
from notifications.transports.base import Message, Transport, post_json


def slack_document(message: Message) -> dict[str, Any]:
    facts = "\n".join(f"• {line}" for line in message.lines)
    return {
        "text": message.subject,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{message.subject}*"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": facts or message.subject}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"<{message.link}>"}]},
        ],
    }


class SlackTransport(Transport):
    def notify(self, notification: Notification, message: Message) -> int:
        body = json.dumps(slack_document(message), ensure_ascii=False).encode()
        headers = {"Idempotency-Key": str(notification.idempotency_key)}
        return post_json(self.channel.url, body, headers)
