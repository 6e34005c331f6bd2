from __future__ import annotations

import pytest

from bcp.services import decisions
from notifications.services import channels as channel_services
from tests.bcp.conftest import absent  # noqa: F401
from tests.incidents.conftest import (  # noqa: F401
    PHISH,
    file_report,
    incident,
)
from tests.notifications.receiver import start_receiver


@pytest.fixture(autouse=True)
def _broker_believed_up():
    """The outbox remembers a broker outage for a while (module state); a test that stopped a
    broker must not make the next test's enqueues fail."""
    from notifications.services import outbox

    outbox._broker_down_until = 0.0
    yield
    outbox._broker_down_until = 0.0


@pytest.fixture(autouse=True)
def _alert_settings(settings):
    # The receiver runs on 127.0.0.1: loopback targets are allowed in the tests only.
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = True
    settings.ALERT_LINK_BASE_URL = "http://testserver"
    # The cast's passwords are hashed for every test; the real hasher's cost buys nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def receiver():
    running = start_receiver()
    yield running
    running.stop()


@pytest.fixture
def channel(isms_office):
    """channel(kind, url=…): a channel of the organisation, created as the ISMS office does."""

    def _create(kind="WEBHOOK", url="", name=None):
        created, secret = channel_services.channel_create(
            actor=isms_office, kind=kind, name=name or kind.lower(), url=url
        )
        created.test_secret = secret
        return created

    return _create


@pytest.fixture
def open_decision(incident):  # noqa: F811 - the imported fixture
    def _open(decision_type="ACTIVATE_CYBER_BCP", **kwargs):
        return decisions.decision_open(incident=incident, decision_type=decision_type, **kwargs)

    return _open


@pytest.fixture
def route_to(organisation):
    """route_to(["WEBHOOK", "EMAIL"], event=…): the channel order of an event's subscriptions."""
    from notifications.models import Subscription
    from notifications.services.defaults import subscriptions_seed

    def _route(kinds, event="decision.opened", every_channel=False):
        subscriptions_seed(organisation=organisation)
        Subscription.objects.filter(organisation=organisation, event=event).update(
            channels=list(kinds), every_channel=every_channel
        )

    return _route


@pytest.fixture
def pushed(open_decision, decision_maker, deputy, route_to, channel, receiver):
    """pushed(kind, path): a decision alert's row on a webhook-like channel to the receiver."""
    from notifications.models import Notification

    def _pushed(kind="WEBHOOK", path="/hook"):
        made = channel(kind, url=receiver.url(path))
        route_to([kind])
        open_decision()
        return Notification.objects.select_related("alert", "channel", "recipient").get(
            channel=made
        )

    return _pushed
