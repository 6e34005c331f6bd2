"""The probes: /healthz is cheap liveness, /readyz reports database, broker and worker heartbeat."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings

from common import clock, services


def _beat_seconds_ago(seconds: int) -> None:
    with time_machine.travel(clock.now() - timedelta(seconds=seconds), tick=False):
        services.heartbeat_record(name="worker", hostname="test-worker")


def _failing(response) -> set[str]:
    return {name for name, check in response.json()["checks"].items() if not check["ok"]}


def test_healthz_answers_200_without_touching_the_database(client):
    # No `db` fixture: pytest-django raises on any query, so a 200 proves none was made.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_200_when_database_broker_and_a_fresh_heartbeat_answer(client, db):
    _beat_seconds_ago(5)
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "worker"}
    assert _failing(response) == set()


def test_readyz_is_503_and_names_the_worker_when_no_heartbeat_was_ever_written(client, db):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert _failing(response) == {"worker"}
    assert response.json()["checks"]["worker"]["detail"] == "no heartbeat yet"


def test_readyz_turns_503_once_the_heartbeat_is_older_than_two_minutes(client, db):
    _beat_seconds_ago(0)
    stale_after = settings.WORKER_HEARTBEAT_STALE_SECONDS
    assert stale_after == 120
    with time_machine.travel(clock.now() + timedelta(seconds=stale_after - 5), tick=False):
        assert client.get("/readyz").status_code == 200
    with time_machine.travel(clock.now() + timedelta(seconds=stale_after + 5), tick=False):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert _failing(response) == {"worker"}
    assert "ago" in response.json()["checks"]["worker"]["detail"]


def test_readyz_names_every_failing_check_when_the_broker_is_unreachable_too(
    client, db, monkeypatch
):
    # Celery reads CELERY_BROKER_URL from the environment before its own settings.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert _failing(response) == {"broker", "worker"}
    assert response.json()["checks"]["database"]["ok"] is True


@pytest.mark.parametrize("path", ["/healthz", "/accounts/login/"])
def test_every_response_carries_a_strict_content_security_policy(client, db, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy


def test_probes_answer_over_plain_http_when_ssl_redirect_is_on(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code in {200, 503}
    assert client.get("/accounts/login/").status_code == 301
