"""Browser sessions end after idleness and after an absolute lifetime."""

from datetime import timedelta

import pytest
from django.utils import timezone

from isms_csirt import settings as project_settings
from tests.conftest import PASSWORD

HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def _real_lifetimes(settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = project_settings.SESSION_IDLE_TIMEOUT_SECONDS
    settings.SESSION_MAX_AGE_SECONDS = project_settings.SESSION_MAX_AGE_SECONDS
    settings.SESSION_COOKIE_AGE = project_settings.SESSION_COOKIE_AGE
    settings.SESSION_SEEN_RESOLUTION_SECONDS = project_settings.SESSION_SEEN_RESOLUTION_SECONDS


def test_the_default_lifetimes_are_eight_hours_idle_and_twelve_in_all():
    assert project_settings.SESSION_IDLE_TIMEOUT_SECONDS == 8 * 3600
    assert project_settings.SESSION_MAX_AGE_SECONDS == 12 * 3600


@pytest.fixture
def signed_in(client, reporter, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    response = client.post("/accounts/login/", {"username": "reporter", "password": PASSWORD})
    assert response.status_code == 302
    client.get("/")
    return client


def _still_signed_in(client) -> bool:
    return client.get("/accounts/profile/").status_code == 200


def test_eight_idle_hours_end_the_session(signed_in, time_machine):
    time_machine.shift(8 * HOUR + timedelta(seconds=61))
    response = signed_in.get("/accounts/profile/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "ログインし直してください" in response.text


def test_activity_keeps_the_session_alive_within_the_idle_timeout(signed_in, time_machine):
    for _ in range(3):
        time_machine.shift(3 * HOUR)
        assert _still_signed_in(signed_in)


def test_twelve_hours_after_sign_in_the_session_ends_whatever_the_activity(signed_in, time_machine):
    for _ in range(5):
        time_machine.shift(2 * HOUR)
        assert _still_signed_in(signed_in)
    time_machine.shift(2 * HOUR + timedelta(seconds=1))
    assert not _still_signed_in(signed_in)


def test_background_polling_is_not_activity(signed_in, time_machine):
    for _ in range(4):
        time_machine.shift(2 * HOUR)
        signed_in.get("/", HTTP_HX_REQUEST="true")
    time_machine.shift(timedelta(seconds=120))
    assert not _still_signed_in(signed_in)


def test_the_timeouts_come_from_the_settings(signed_in, time_machine, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 600
    time_machine.shift(timedelta(seconds=601))
    assert not _still_signed_in(signed_in)


def test_the_session_cookie_lasts_no_longer_than_the_absolute_lifetime(client, reporter):
    response = client.post("/accounts/login/", {"username": "reporter", "password": PASSWORD})
    assert response.cookies["sessionid"]["max-age"] == 12 * 3600


def test_activity_is_written_to_the_session_at_most_once_a_minute(signed_in, time_machine):
    from django.contrib.sessions.models import Session

    def stored_seen() -> int:
        (session,) = Session.objects.all()
        return session.get_decoded()["_seen_at"]

    first = stored_seen()
    time_machine.shift(timedelta(seconds=30))
    assert _still_signed_in(signed_in)
    assert stored_seen() == first
    time_machine.shift(timedelta(seconds=31))
    assert _still_signed_in(signed_in)
    assert stored_seen() == first + 61
