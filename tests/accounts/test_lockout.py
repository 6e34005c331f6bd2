"""Login throttling on every path that checks a password (django-axes)."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.factories import UserFactory

ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _admin_login(client, password, **extra):
    return client.post(
        ADMIN_LOGIN, {"username": "root", "password": password, "next": "/admin/"}, **extra
    )


def test_twelve_wrong_admin_passwords_lock_the_admin_login_even_for_the_right_one(
    client, superuser
):
    for _ in range(12):
        _admin_login(client, "wrong-password")
    response = _admin_login(client, PASSWORD)
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    assert client.get("/admin/").status_code == 302  # still sent to log in


def test_the_admin_login_answers_normally_below_the_limit(client, superuser):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _admin_login(client, "wrong-password")
    response = _admin_login(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_failures_on_the_site_login_count_for_the_admin_login_too(client, superuser):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "root", "password": "wrong-password"})
    assert _admin_login(client, PASSWORD).status_code == 429


def test_the_lockout_is_lifted_after_the_cool_off(client, superuser, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _admin_login(client, "wrong-password")
    assert _admin_login(client, PASSWORD).status_code == 429
    time_machine.shift(settings.LOGIN_COOL_OFF_SECONDS + 1)
    assert _admin_login(client, PASSWORD).status_code == 302


def test_the_limit_and_cool_off_come_from_the_settings(client, superuser, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        _admin_login(client, "wrong-password")
    assert _admin_login(client, PASSWORD).status_code == 429


def test_a_username_is_counted_whatever_its_case(client, reporter):
    for name in ("Reporter", "REPORTER", "reporter ", "rePorter", "reporteR"):
        client.post("/accounts/login/", {"username": name, "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": "reporter", "password": PASSWORD})
    assert response.status_code == 429


def test_attempts_are_audited_with_address_and_path(client, reporter):
    client.post(
        "/accounts/login/",
        {"username": "reporter", "password": "wrong-password"},
        REMOTE_ADDR="192.0.2.10",
    )
    client.post("/accounts/login/", {"username": "reporter", "password": PASSWORD})
    failure = AccessFailureLog.objects.get()
    assert (failure.username, failure.ip_address) == ("reporter", "192.0.2.10")
    assert failure.path_info == "/accounts/login/"
    success = AccessLog.objects.get()
    assert (success.username, success.ip_address) == ("reporter", "127.0.0.1")
    assert not AccessAttempt.objects.filter(ip_address="127.0.0.1").exists()


def test_a_forged_forwarded_address_is_neither_trusted_nor_a_server_error(
    client, reporter, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.post(
        "/accounts/login/",
        {"username": "reporter", "password": "wrong-password"},
        HTTP_X_FORWARDED_FOR="not-an-address",
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 200
    assert AccessFailureLog.objects.get().ip_address == "10.0.0.2"
