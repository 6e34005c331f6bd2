"""Teams-compatible incoming webhook: one Adaptive Card with the facts and an Open action."""

from __future__ import annotations

import pytest

from notifications import messages
from notifications.transports import TransportError
from notifications.transports.teams import TeamsTransport

pytestmark = pytest.mark.django_db


def test_the_message_is_an_adaptive_card(pushed, receiver, incident):
    row = pushed("TEAMS", "/teams")
    assert TeamsTransport(row.channel).notify(row, messages.render(row)) == 200
    body = receiver.to("/teams")[0].json()
    assert body["type"] == "message"
    (attachment,) = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert incident.ref in card["body"][0]["text"]
    assert card["actions"][0]["url"].startswith("http://testserver/notifications/open/")
    assert card["actions"][0]["title"] == "判断を開く"


def test_a_teams_400_is_permanent(pushed, receiver):
    receiver.statuses["/teams"] = [400]
    row = pushed("TEAMS", "/teams")
    with pytest.raises(TransportError) as caught:
        TeamsTransport(row.channel).notify(row, messages.render(row))
    assert caught.value.permanent is True
