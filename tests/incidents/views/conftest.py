"""The cast for the browser views: a reporting link, and a triage item or incident to look at."""

import pytest

from incidents.models import ReportingLink
from incidents.services import intake_admin


@pytest.fixture
def link(organisation, isms_office) -> ReportingLink:
    return intake_admin.reporting_link_rotate(organisation=organisation, actor=isms_office)


@pytest.fixture
def as_user(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
