"""The alert sources over the API (issue 21): list, add, rotate the address and secret, disable."""

from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from incidents.models import AlertSource, Report
from tests.incidents.channels.conftest import sample, signed_post

URL = "/api/v1/alert-sources/"


@pytest.fixture
def office(isms_office):
    client = APIClient()
    client.force_login(isms_office)
    return client


def _added(office, **body):
    response = office.post(URL, {"name": "Defender", "format": "DEFENDER", **body}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    source = AlertSource.objects.get(pk=data["source"]["id"])
    return data, SimpleNamespace(source=source, secret=data["secret"])


def test_an_added_source_answers_its_address_and_secret_once_and_they_sign_alerts(office, client):
    data, registered = _added(office)
    assert data["webhook_url"].endswith(f"/hooks/alerts/{registered.source.token}/")
    assert signed_post(client, registered, sample("defender")).status_code == 201
    listed = office.get(URL).json()
    [row] = listed["results"] if isinstance(listed, dict) else listed
    assert row["name"] == "Defender" and row["alerts"] == 1
    assert "secret" not in row and "token" not in row and registered.source.token not in str(row)


def test_rotating_a_source_stops_the_old_address_and_secret_at_once(office, client):
    _data, old = _added(office)
    response = office.post(f"{URL}{old.source.pk}/rotate/")
    assert response.status_code == 200
    new = SimpleNamespace(
        source=AlertSource.objects.get(pk=old.source.pk), secret=response.json()["secret"]
    )
    assert new.source.token != old.source.token and new.secret != old.secret
    assert signed_post(client, old, sample("defender")).status_code == 404
    assert signed_post(client, new, sample("defender"), secret=old.secret).status_code == 401
    assert signed_post(client, new, sample("defender")).status_code == 201
    assert Report.objects.count() == 1


def test_a_disabled_source_is_not_rotated(office):
    _data, registered = _added(office)
    assert office.post(f"{URL}{registered.source.pk}/disable/").json()["disabled_at"]
    response = office.post(f"{URL}{registered.source.pk}/rotate/")
    assert response.status_code == 409
    assert response.json()["code"] == "source_disabled"


@pytest.mark.parametrize(
    "body",
    [
        {"name": "", "format": "DEFENDER"},
        {"name": "x", "format": "SPLUNK"},
        {"name": "x", "format": "WAZUH", "replay_window_seconds": 5},
        {"name": "x", "format": "WAZUH", "repeat_window_seconds": -1},
    ],
)
def test_a_source_out_of_bounds_is_refused_with_400_and_nothing_stored(office, body):
    response = office.post(URL, body, format="json")
    assert response.status_code == 400
    assert AlertSource.objects.count() == 0


def test_only_the_isms_office_manages_sources_and_only_its_own(office, reporter, outsider):
    _data, registered = _added(office)
    for user, expected in ((reporter, 403), (outsider, 404)):
        client = APIClient()
        client.force_login(user)
        assert client.post(f"{URL}{registered.source.pk}/rotate/").status_code == expected
        assert client.get(f"{URL}{registered.source.pk}/").status_code == expected
    stranger = APIClient()
    stranger.force_login(reporter)
    assert stranger.post(URL, {"name": "x", "format": "WAZUH"}, format="json").status_code == 403
