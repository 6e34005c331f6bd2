"""scripts/ensure_services.py: `make test` fails fast, with the fix, when a service is missing."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.common.stack import REPO_ROOT, free_port

SCRIPT = REPO_ROOT / "scripts" / "ensure_services.py"
HINT = "docker compose up -d postgres redis"


def _run(**env: str) -> subprocess.CompletedProcess[str]:
    """The script's run. "Fails fast" is what it does not do: print that it is starting a service
    (then it waits for it) — and a connect without its 1 s timeout to an address where nothing
    answers would hang for the system's minutes, past this run's deadline."""
    return subprocess.run(
        [sys.executable, str(SCRIPT)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_exits_zero_when_postgresql_and_redis_answer_on_their_ports():
    result = _run(ENSURE_POSTGRES_ADDR="127.0.0.1:5432", ENSURE_REDIS_ADDR="127.0.0.1:6379")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_fails_fast_with_the_compose_hint_when_postgresql_does_not_answer():
    silent = f"127.0.0.1:{free_port()}"
    result = _run(ENSURE_POSTGRES_ADDR=silent, ENSURE_SERVICES_NO_START="1")
    assert result.returncode == 1
    assert "trying to start" not in result.stdout
    assert f"PostgreSQL ({silent})" in result.stderr
    assert "Redis (" not in result.stderr
    assert HINT in result.stderr


def test_names_both_services_when_neither_answers():
    postgres, redis = f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"
    result = _run(
        ENSURE_POSTGRES_ADDR=postgres, ENSURE_REDIS_ADDR=redis, ENSURE_SERVICES_NO_START="1"
    )
    assert result.returncode == 1
    assert "trying to start" not in result.stdout
    assert f"PostgreSQL ({postgres}), Redis ({redis})" in result.stderr
    assert HINT in result.stderr


def test_a_remote_address_is_never_started_and_fails_at_once():
    # 192.0.2.0/24 is TEST-NET-1: reserved, nothing answers there.
    result = _run(ENSURE_REDIS_ADDR="192.0.2.1:6379")
    assert result.returncode == 1
    assert "trying to start" not in result.stdout
    assert HINT in result.stderr


def test_a_malformed_address_is_refused_with_the_variable_name():
    result = _run(ENSURE_REDIS_ADDR="no-port-here")
    assert result.returncode != 0
    assert "ENSURE_REDIS_ADDR must be host:port" in result.stderr
