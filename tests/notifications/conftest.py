from __future__ import annotations

import pytest

from bcp.services import decisions
from notifications.services import channels as channel_services
from tests.incidents.conftest import (  # noqa: F401
    PHISH,
    file_report,
    incident,
)
from tests.notifications.receiver import start_receiver


@pytest.fixture(autouse=True)
def _alert_settings(settings):
    # The receiver runs on 127.0.0.1: loopback targets are allowed in the tests only.
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = True
    settings.ALERT_LINK_BASE_URL = "http://testserver"


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
def open_decision(incident):
    def _open(decision_type="ACTIVATE_CYBER_BCP", **kwargs):
        return decisions.decision_open(incident=incident, decision_type=decision_type, **kwargs)

    return _open
