"""Logged-in browser clients, and decisions to look at."""

import pytest

from bcp.services import decisions


@pytest.fixture
def as_user(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def open_decision(incident):
    def _open(decision_type="ACTIVATE_CYBER_BCP", **kw):
        return decisions.decision_open(incident=incident, decision_type=decision_type, **kw)

    return _open
