"""Slack-compatible incoming webhook: text and blocks, errors as Slack answers them."""

from __future__ import annotations

import pytest

from notifications import messages
from notifications.transports import TransportError
from notifications.transports.slack import SlackTransport

pytestmark = pytest.mark.django_db


def test_the_message_has_text_and_blocks_with_the_facts(pushed, receiver, incident):
    row = pushed("SLACK", "/slack")
    assert SlackTransport(row.channel).notify(row, messages.render(row)) == 200
    body = receiver.to("/slack")[0].json()
    assert incident.ref in body["text"]
    facts = body["blocks"][1]["text"]["text"]
    assert "判断期限" in facts or "Decide by" in facts
    assert body["blocks"][2]["elements"][0]["text"].startswith(
        "<http://testserver/notifications/open/"
    )
    assert "X-ISMS-Signature" not in receiver.to("/slack")[0].headers


@pytest.mark.parametrize(("status", "permanent"), [(404, True), (410, True), (429, False)])
def test_slack_errors(pushed, receiver, status, permanent):
    receiver.statuses["/slack"] = [status]
    row = pushed("SLACK", "/slack")
    with pytest.raises(TransportError) as caught:
        SlackTransport(row.channel).notify(row, messages.render(row))
    assert caught.value.permanent is permanent
